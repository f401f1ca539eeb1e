import { z } from 'zod';
import { MAX_HOLDOUT_SHARE_BP } from '../holdout';
import type { FieldIssue } from '../sponsored';

/** The merchant's attribution settings as the admin shows them: windows in whole days, the holdout in percent. */
export interface AttributionSettings {
  /** A recommendation's click or token credits orders for this many days (1-90). */
  recommendationClickDays: number;
  /** A sponsored product's click or token (1-90). */
  sponsoredClickDays: number;
  /** A sponsored impression not clicked (0-90; 0 turns view-through credit off). */
  sponsoredViewDays: number;
  /** Consenting visitors held out, in basis points (0-5000: 0 to 50 %, steps of 0.01 %). */
  holdoutShareBp: number;
}

/** The database's limit on a window (attribution_settings check): 90 days. */
export const MAX_WINDOW_DAYS = 90;

const days = (name: string, min: number) => {
  const message = `${name} must be a whole number of days from ${min} to ${MAX_WINDOW_DAYS}`;
  return z
    .number({ error: (i) => (i.input === undefined ? `${name} is required` : message) })
    .int({ error: message })
    .min(min, { error: message })
    .max(MAX_WINDOW_DAYS, { error: message });
};

const maxPercent = MAX_HOLDOUT_SHARE_BP / 100;
const percentMessage = `holdout_share_percent must be a number from 0 to ${maxPercent} with at most 2 decimals`;

const settingsShape = z.strictObject({
  recommendation_click_days: days('recommendation_click_days', 1),
  sponsored_click_days: days('sponsored_click_days', 1),
  sponsored_view_days: days('sponsored_view_days', 0),
  holdout_share_percent: z
    .number({ error: (i) => (i.input === undefined ? 'holdout_share_percent is required' : percentMessage) })
    .min(0, { error: percentMessage })
    .max(maxPercent, { error: percentMessage })
    // Basis points are whole: 5.25 % is 525, 5.255 % has no exact basis point.
    .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, { error: percentMessage }),
});

export type ParsedSettings = { ok: true; value: AttributionSettings } | { ok: false; issues: FieldIssue[] };

/** A PUT body: all four settings (snake_case, as the sponsored settings), every problem at once. */
export function parseAttributionSettings(body: unknown): ParsedSettings {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, issues: [{ field: 'body', message: 'the body must be a JSON object' }] };
  const parsed = settingsShape.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.length ? i.path.join('.') : 'body', message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}` : i.message }));
    // A value can fail two checks with one message (50.001: the range and the decimals): say it once.
    return { ok: false, issues: issues.filter((i, n) => issues.findIndex((j) => j.field === i.field && j.message === i.message) === n) };
  }
  const v = parsed.data;
  return {
    ok: true,
    value: {
      recommendationClickDays: v.recommendation_click_days,
      sponsoredClickDays: v.sponsored_click_days,
      sponsoredViewDays: v.sponsored_view_days,
      holdoutShareBp: Math.round(v.holdout_share_percent * 100),
    },
  };
}
