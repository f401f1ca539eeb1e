/**
 * The data's dates are shop-local wall-clock times with no zone. The retailer is in the UK, so
 * the development store's time zone is Europe/London (GMT in winter, BST in summer).
 */
export const RETAIL_TIME_ZONE = 'Europe/London';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in minutes (BST: +60). */
function offsetMinutes(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - utcMs) / 60_000);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Turns a shop-local `YYYY-MM-DDTHH:MM:SS` into an ISO 8601 timestamp with the shop's offset,
 * the way Shopify's REST payloads write times (`2010-06-01T09:30:00+01:00`).
 * A wall time that the spring-forward gap skips is read with the winter offset (01:30 on the
 * last Sunday of March becomes 02:30 BST); an hour repeated in autumn takes its first (BST) reading.
 */
export function shopLocalTimestamp(local: string, timeZone: string = RETAIL_TIME_ZONE): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new RangeError(`not a local date-time: ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offset before and after the wall time: equal except around a transition.
  const early = offsetMinutes(wall - 3 * 3600_000, timeZone);
  const late = offsetMinutes(wall + 3 * 3600_000, timeZone);
  let instant = wall - Math.max(early, late) * 60_000;
  if (offsetMinutes(instant, timeZone) !== Math.max(early, late)) instant = wall - Math.min(early, late) * 60_000;
  const offset = offsetMinutes(instant, timeZone);
  const shifted = new Date(instant + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
