// Figures as the merchant reads them: money from integer minor units in the shop's currency,
// ratios as percentages, ROAS as a multiple, and "—" where there is nothing to divide by.

const EMPTY = '—';
const moneyFormats = new Map();

function moneyFormat(currency) {
  if (!moneyFormats.has(currency)) moneyFormats.set(currency, new Intl.NumberFormat(undefined, { style: 'currency', currency }));
  return moneyFormats.get(currency);
}

/** Digits after the decimal point in a currency (JPY 0, EUR 2, KWD 3). */
export function minorDigits(currency) {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits;
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return EMPTY;
  return moneyFormat(currency).format(minor / 10 ** minorDigits(currency));
}

/** Money as a decimal string (what the campaign API takes): 1250 EUR → "12.50". */
export function decimal(minor, currency) {
  if (minor === null || minor === undefined) return '';
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** digits);
  const frac = String(abs % 10 ** digits).padStart(digits, '0');
  return digits ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function percent(ratio) {
  return ratio === null || ratio === undefined ? EMPTY : percentFormat.format(ratio);
}

export function count(n) {
  return n === null || n === undefined ? EMPTY : countFormat.format(n);
}

export function roas(ratio) {
  return ratio === null || ratio === undefined ? EMPTY : `${ratio.toFixed(1)}×`;
}

export function dateTime(iso) {
  if (!iso) return EMPTY;
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

export function day(iso) {
  return iso ? iso.slice(0, 10) : EMPTY;
}
