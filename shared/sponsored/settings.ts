import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db';
import { InvalidInputError } from '../errors';
import { currencyExponent, toMinorUnits } from '../money';
import { fieldIssues, type FieldIssue, type Parsed } from './campaign-input';

/** A shop's auction settings (docs/sponsored.md, `sponsored_settings`). */
export interface SponsoredSettings {
  /** Least relevance (0-1) a promoted product needs in a request's context. */
  relevanceThreshold: number;
  /** Least price of a click, minor units of the shop's currency. */
  reserveMinor: number;
  /** Most sponsored products in one block (0-4; 0 turns sponsored slots off). */
  slotsPerBlock: number;
  /** Most sponsored impressions of one campaign per visitor per day (1-1000). */
  frequencyCapPerDay: number;
}

/** What a shop without a row gets: the table's column defaults. */
export const SPONSORED_SETTINGS_DEFAULTS: Readonly<SponsoredSettings> = Object.freeze({
  relevanceThreshold: 0.3,
  reserveMinor: 5,
  slotsPerBlock: 1,
  frequencyCapPerDay: 6,
});

/** reserve_minor is an `integer` column. */
const MAX_RESERVE_MINOR = 2_147_483_647;

const settingsShape = z.strictObject({
  relevance_threshold: z
    .number({ error: (i) => (i.input === undefined ? 'relevance_threshold is required' : 'relevance_threshold must be a number from 0 to 1') })
    .min(0, { error: 'relevance_threshold must be a number from 0 to 1' })
    .max(1, { error: 'relevance_threshold must be a number from 0 to 1' }),
  reserve: z.string({ error: (i) => (i.input === undefined ? 'reserve is required' : 'reserve must be a decimal string such as "0.05"') }),
  slots_per_block: z
    .number({ error: (i) => (i.input === undefined ? 'slots_per_block is required' : 'slots_per_block must be a whole number from 0 to 4') })
    .int({ error: 'slots_per_block must be a whole number from 0 to 4' })
    .min(0, { error: 'slots_per_block must be a whole number from 0 to 4' })
    .max(4, { error: 'slots_per_block must be a whole number from 0 to 4' }),
  frequency_cap_per_day: z
    .number({ error: (i) => (i.input === undefined ? 'frequency_cap_per_day is required' : 'frequency_cap_per_day must be a whole number from 1 to 1000') })
    .int({ error: 'frequency_cap_per_day must be a whole number from 1 to 1000' })
    .min(1, { error: 'frequency_cap_per_day must be a whole number from 1 to 1000' })
    .max(1000, { error: 'frequency_cap_per_day must be a whole number from 1 to 1000' }),
});

/** A PUT body: all four settings, the reserve a money string in the shop's currency. */
export function parseSponsoredSettings(body: unknown, { currency }: { currency: string }): Parsed<SponsoredSettings> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, issues: [{ field: 'body', message: 'the body must be a JSON object' }] };
  const parsed = settingsShape.safeParse(body);
  const issues: FieldIssue[] = parsed.success ? [] : fieldIssues(parsed.error);
  const reserveText = (body as Record<string, unknown>).reserve;
  let reserveMinor: number | undefined;
  if (typeof reserveText === 'string') {
    if (!/^\d+(\.\d+)?$/.test(reserveText.trim())) {
      issues.push({ field: 'reserve', message: /^\s*-/.test(reserveText) ? 'reserve must be 0 or more' : 'reserve must be a decimal string such as "0.05"' });
    } else {
      try {
        reserveMinor = toMinorUnits(reserveText, currency);
        if (reserveMinor > MAX_RESERVE_MINOR) {
          issues.push({ field: 'reserve', message: 'reserve is out of range' });
        }
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        const exponent = currencyExponent(currency);
        issues.push({
          field: 'reserve',
          message: /precision/.test(error.message) ? `reserve must have ${exponent === 0 ? 'no decimals' : `at most ${exponent} decimals`} in ${currency}` : 'reserve is out of range',
        });
      }
    }
  }
  if (!parsed.success || issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      relevanceThreshold: parsed.data.relevance_threshold,
      reserveMinor: reserveMinor!,
      slotsPerBlock: parsed.data.slots_per_block,
      frequencyCapPerDay: parsed.data.frequency_cap_per_day,
    },
  };
}

/** A shop's settings and when they were last written (null: never, the defaults apply). */
export async function getSponsoredSettings(db: Db, shop: string): Promise<SponsoredSettings & { updatedAt: Date | null }> {
  const row = await db.selectFrom('sponsored_settings').selectAll().where('shop', '=', shop).executeTakeFirst();
  if (!row) return { ...SPONSORED_SETTINGS_DEFAULTS, updatedAt: null };
  return {
    relevanceThreshold: Number(row.relevance_threshold),
    reserveMinor: Number(row.reserve_minor),
    slotsPerBlock: Number(row.slots_per_block),
    frequencyCapPerDay: Number(row.frequency_cap_per_day),
    updatedAt: new Date(row.updated_at as unknown as Date),
  };
}

/** Replaces a shop's settings (validated by parseSponsoredSettings) and returns them as stored. */
export async function putSponsoredSettings(db: Db, shop: string, settings: SponsoredSettings): Promise<SponsoredSettings & { updatedAt: Date | null }> {
  const values = {
    relevance_threshold: settings.relevanceThreshold,
    reserve_minor: settings.reserveMinor,
    slots_per_block: settings.slotsPerBlock,
    frequency_cap_per_day: settings.frequencyCapPerDay,
  };
  await db
    .insertInto('sponsored_settings')
    .values({ shop, ...values })
    .onConflict((oc) => oc.column('shop').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return getSponsoredSettings(db, shop);
}
