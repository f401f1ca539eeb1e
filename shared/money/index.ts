import { InvalidInputError } from '../errors';

const exponents = new Map<string, number>();

/** Minor-unit exponent of an ISO 4217 currency (GBP 2, JPY 0, KWD 3), from the runtime's ICU data. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  let exponent = exponents.get(code);
  if (exponent === undefined) {
    try {
      exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits as number;
    } catch {
      throw new InvalidInputError(`unknown currency ${JSON.stringify(currency)}`);
    }
    exponents.set(code, exponent);
  }
  return exponent;
}

/**
 * Parses a decimal money string ("6.95", "-12", "1e2" is refused) into integer minor units,
 * exactly: no float ever touches the amount. Extra digits beyond the currency's exponent must
 * be zeros ("6.950" is fine for GBP, "6.955" is not).
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new InvalidInputError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw new InvalidInputError(`${text} has more precision than ${currency} allows`);
  }
  const minor = Number(`${whole}${kept}`);
  if (!Number.isSafeInteger(minor)) throw new InvalidInputError(`amount out of range: ${text}`);
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/** Formats minor units back to the decimal string Shopify uses ("6.95"). */
export function fromMinorUnits(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
