/**
 * Shopify's money formats: `{{amount}}` 1,134.65, `{{amount_no_decimals}}` 1,135,
 * `{{amount_with_comma_separator}}` 1.134,65, `{{amount_no_decimals_with_comma_separator}}` 1.135,
 * `{{amount_with_apostrophe_separator}}` 1'134.65.
 */
export function formatMoney(cents: number, format: string): string {
  const group = (whole: string, separator: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  const fixed = (Math.abs(cents) / 100).toFixed(2);
  const [whole, fraction] = fixed.split('.') as [string, string];
  const sign = cents < 0 ? '-' : '';
  const amounts: Record<string, string> = {
    amount: `${sign}${group(whole, ',')}.${fraction}`,
    amount_no_decimals: `${sign}${group(String(Math.round(Math.abs(cents) / 100)), ',')}`,
    amount_with_comma_separator: `${sign}${group(whole, '.')},${fraction}`,
    amount_no_decimals_with_comma_separator: `${sign}${group(String(Math.round(Math.abs(cents) / 100)), '.')}`,
    amount_with_apostrophe_separator: `${sign}${group(whole, "'")}.${fraction}`,
  };
  return format.replace(/{{\s*(\w+)\s*}}/g, (all, name: string) => amounts[name] ?? all);
}
