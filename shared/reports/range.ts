import { z } from 'zod';

/** UTC days `YYYY-MM-DD`, both inclusive. */
export interface ReportRange {
  from: string;
  to: string;
}

/** Longest range a report answers, in days (both ends counted). */
export const MAX_RANGE_DAYS = 366;
/** The default range: this many days ending today (UTC). */
export const DEFAULT_RANGE_DAYS = 30;

const DAY_MS = 86_400_000;

/** A real calendar day written `YYYY-MM-DD` (2024-02-30 is refused). */
export const reportDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'is not a calendar day');

export interface RangeIssue {
  field: string;
  message: string;
}

export type ParsedRange = { ok: true; range: ReportRange } | { ok: false; issues: RangeIssue[] };

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/**
 * The range of a request's `from` and `to` (each optional): by default the 30 days ending today
 * (UTC, from the injected clock); one end given, the other is 29 days from it. Refused when a day
 * is malformed, `from` is after `to`, or the range is longer than 366 days.
 */
export function parseReportRange(query: { from?: unknown; to?: unknown }, nowMs: number): ParsedRange {
  const issues: RangeIssue[] = [];
  const read = (field: 'from' | 'to'): string | undefined => {
    const raw = query[field];
    if (raw === undefined) return undefined;
    const parsed = reportDay.safeParse(raw);
    if (!parsed.success) {
      issues.push({ field, message: parsed.error.issues[0]?.message ?? 'invalid' });
      return undefined;
    }
    return parsed.data;
  };
  const fromGiven = read('from');
  const toGiven = read('to');
  if (issues.length) return { ok: false, issues };
  const to = toGiven ?? (fromGiven ? minDay(addDays(fromGiven, DEFAULT_RANGE_DAYS - 1), dayOf(nowMs)) : dayOf(nowMs));
  const from = fromGiven ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) return { ok: false, issues: [{ field: 'from', message: 'must not be after to' }] };
  if (rangeDays({ from, to }).length > MAX_RANGE_DAYS) return { ok: false, issues: [{ field: 'to', message: `the range may span at most ${MAX_RANGE_DAYS} days` }] };
  return { ok: true, range: { from, to } };
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

/** Every day of the range, in order. */
export function rangeDays(range: ReportRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end && days.length <= MAX_RANGE_DAYS; t += DAY_MS) days.push(dayOf(t));
  return days;
}
