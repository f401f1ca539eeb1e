const SCALE = 6;

function scaled(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  const negative = whole.startsWith('-');
  const digits = BigInt(`${whole.replace('-', '')}${fraction.padEnd(SCALE, '0').slice(0, SCALE)}`);
  return negative ? -digits : digits;
}

/** The least of exact decimal strings, compared without floats; null for none. */
export function minDecimal(values: string[]): string | null {
  let best: string | null = null;
  for (const value of values) if (best === null || scaled(value) < scaled(best)) best = value;
  return best;
}
