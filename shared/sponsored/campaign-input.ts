import { z } from 'zod';
import type { CampaignStatus } from '../db/schema';
import { InvalidInputError } from '../errors';
import { currencyExponent, fromMinorUnits, toMinorUnits } from '../money';
import { STOREFRONT_PLACEMENTS } from '../storefront';

/**
 * What the merchant may write about a campaign and what it must satisfy (docs/sponsored.md).
 * Pure: the catalog checks take the products the caller read, so the rules can be tested (and
 * reused by the CLI) without a database.
 */

/** Where a campaign can bid: the storefront blocks and the Sponsored products block. */
export const CAMPAIGN_PLACEMENTS = [...STOREFRONT_PLACEMENTS, 'sponsored'] as const;
export type CampaignPlacement = (typeof CAMPAIGN_PLACEMENTS)[number];

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'exhausted', 'ended'] as const satisfies readonly CampaignStatus[];

/** Most products one campaign promotes. */
export const MAX_CAMPAIGN_PRODUCTS = 100;
/** max_cpc_minor is an `integer` column. */
const MAX_BID_MINOR = 2_147_483_647;

/** One problem with the input, named by the request field it concerns. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A campaign's editable fields, money in minor units of the campaign's currency. */
export interface CampaignFields {
  name: string;
  vendor: string;
  advertiser: string;
  productIds: string[];
  maxCpcMinor: number;
  dailyBudgetMinor: number;
  totalBudgetMinor: number;
  startsAt: Date;
  /** null: open-ended. */
  endsAt: Date | null;
  placements: CampaignPlacement[];
}

export type CampaignPatch = Partial<CampaignFields> & { status?: CampaignStatus };

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const requiredText = (field: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text`) })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    // Control characters (NUL above all, which PostgreSQL cannot store) are a 422, not a 500.
    .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), { error: `${field} must not contain control characters` });

const money = (field: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a decimal string such as "0.45"`),
  });

const instant = (field: string) =>
  z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date and time such as "2026-12-01T00:00:00Z"` });

const productIds = z
  .array(z.string({ error: 'product_ids must be product ids as strings, such as "7265000000"' }).regex(/^\d{1,20}$/, { error: 'product_ids must be product ids as strings, such as "7265000000"' }), {
    error: (issue) => (issue.input === undefined ? 'product_ids is required' : 'product_ids must be a list of product ids'),
  })
  .min(1, { error: 'product_ids must list at least one product' })
  .transform((ids) => [...new Set(ids)])
  .refine((ids) => ids.length <= MAX_CAMPAIGN_PRODUCTS, { error: `product_ids must list at most ${MAX_CAMPAIGN_PRODUCTS} products` });

const placements = z
  .array(z.enum(CAMPAIGN_PLACEMENTS, { error: `placements must be among ${CAMPAIGN_PLACEMENTS.join(', ')}` }), {
    error: (issue) => (issue.input === undefined ? 'placements is required' : `placements must be a list among ${CAMPAIGN_PLACEMENTS.join(', ')}`),
  })
  .min(1, { error: `placements must list at least one of ${CAMPAIGN_PLACEMENTS.join(', ')}` })
  .transform((list) => [...new Set(list)]);

const status = z.enum(CAMPAIGN_STATUSES, { error: `status must be one of ${CAMPAIGN_STATUSES.join(', ')}` });

const createShape = z.strictObject({
  name: requiredText('name', 200),
  vendor: requiredText('vendor', 255),
  advertiser: requiredText('advertiser', 255).optional(),
  product_ids: productIds,
  max_cpc: money('max_cpc'),
  daily_budget: money('daily_budget'),
  total_budget: money('total_budget'),
  starts_at: instant('starts_at').optional(),
  ends_at: instant('ends_at').nullable().optional(),
  placements,
  status: status.optional(),
});

const patchShape = z.strictObject({
  name: requiredText('name', 200).optional(),
  vendor: requiredText('vendor', 255).optional(),
  advertiser: requiredText('advertiser', 255).optional(),
  product_ids: productIds.optional(),
  max_cpc: money('max_cpc').optional(),
  daily_budget: money('daily_budget').optional(),
  total_budget: money('total_budget').optional(),
  starts_at: instant('starts_at').optional(),
  ends_at: instant('ends_at').nullable().optional(),
  placements: placements.optional(),
  status: status.optional(),
});

/** zod's issues in the API's words: one per field, an unknown key named as its own field. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: key, message: `${key} is not a field of this resource` });
    } else {
      const field = issue.path.length ? String(issue.path[0]) : 'body';
      if (!issues.some((i) => i.field === field && i.message === issue.message)) issues.push({ field, message: issue.message });
    }
  }
  return issues;
}

function notAnObject(body: unknown): FieldIssue[] | null {
  return body === null || typeof body !== 'object' || Array.isArray(body) ? [{ field: 'body', message: 'the body must be a JSON object' }] : null;
}

function precision(currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? `no decimals in ${currency}` : `at most ${exponent} decimal${exponent === 1 ? '' : 's'} in ${currency}`;
}

/** A money string in minor units, or the issue that keeps it from being one. */
function minorUnits(field: string, amount: string, currency: string, issues: FieldIssue[]): number | undefined {
  if (!/^-?\d+(\.\d+)?$/.test(amount.trim())) {
    issues.push({ field, message: `${field} must be a decimal string such as "0.45"` });
    return undefined;
  }
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    issues.push({ field, message: /precision/.test(error.message) ? `${field} must have ${precision(currency)}` : `${field} is out of range` });
    return undefined;
  }
}

function moneyFields(
  input: { max_cpc?: string; daily_budget?: string; total_budget?: string },
  currency: string,
  issues: FieldIssue[],
): Pick<Partial<CampaignFields>, 'maxCpcMinor' | 'dailyBudgetMinor' | 'totalBudgetMinor'> {
  const out: Pick<Partial<CampaignFields>, 'maxCpcMinor' | 'dailyBudgetMinor' | 'totalBudgetMinor'> = {};
  const read = (field: 'max_cpc' | 'daily_budget' | 'total_budget') => {
    const text = input[field];
    if (text === undefined) return undefined;
    const minor = minorUnits(field, text, currency, issues);
    if (minor !== undefined && minor <= 0) {
      issues.push({ field, message: `${field} must be more than 0` });
      return undefined;
    }
    return minor;
  };
  const bid = read('max_cpc');
  if (bid !== undefined && bid > MAX_BID_MINOR) issues.push({ field: 'max_cpc', message: 'max_cpc is out of range' });
  else if (bid !== undefined) out.maxCpcMinor = bid;
  const daily = read('daily_budget');
  if (daily !== undefined) out.dailyBudgetMinor = daily;
  const total = read('total_budget');
  if (total !== undefined) out.totalBudgetMinor = total;
  return out;
}

/**
 * A new campaign's body: its fields (money in minor units of `currency`) and starting status
 * (draft or active). Every problem the body alone shows, at once; `checkCampaignFields` is
 * applied. The catalog checks (`checkCatalog`) are the caller's.
 */
export function parseNewCampaign(body: unknown, { currency, now }: { currency: string; now: Date }): Parsed<{ fields: CampaignFields; status: 'draft' | 'active' }> {
  const shapeless = notAnObject(body);
  if (shapeless) return { ok: false, issues: shapeless };
  const parsed = createShape.safeParse(body);
  if (!parsed.success) {
    // The money of an otherwise malformed body is still worth judging: all problems at once.
    const issues = fieldIssues(parsed.error);
    const raw = body as Record<string, unknown>;
    const strings = Object.fromEntries((['max_cpc', 'daily_budget', 'total_budget'] as const).filter((k) => typeof raw[k] === 'string').map((k) => [k, raw[k] as string]));
    const moneyIssues: FieldIssue[] = [];
    moneyFields(strings, currency, moneyIssues);
    return { ok: false, issues: [...issues, ...moneyIssues.filter((m) => !issues.some((i) => i.field === m.field))] };
  }
  const input = parsed.data;
  const issues: FieldIssue[] = [];
  const amounts = moneyFields(input, currency, issues);
  if (input.status !== undefined && input.status !== 'draft' && input.status !== 'active') {
    issues.push({ field: 'status', message: 'a new campaign starts as draft or active' });
  }
  const startsAt = input.starts_at ? new Date(input.starts_at) : now;
  const endsAt = input.ends_at ? new Date(input.ends_at) : null;
  const partial: Partial<CampaignFields> = { ...amounts, startsAt, endsAt };
  issues.push(...checkCampaignFields(partial, currency));
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      fields: {
        name: input.name,
        vendor: input.vendor,
        advertiser: input.advertiser ?? input.vendor,
        productIds: input.product_ids,
        maxCpcMinor: amounts.maxCpcMinor!,
        dailyBudgetMinor: amounts.dailyBudgetMinor!,
        totalBudgetMinor: amounts.totalBudgetMinor!,
        startsAt,
        endsAt,
        placements: input.placements,
      },
      status: (input.status ?? 'draft') as 'draft' | 'active',
    },
  };
}

/** A PATCH body: the fields it changes (money in minor units of the campaign's currency). */
export function parseCampaignPatch(body: unknown, { currency }: { currency: string }): Parsed<CampaignPatch> {
  const shapeless = notAnObject(body);
  if (shapeless) return { ok: false, issues: shapeless };
  const parsed = patchShape.safeParse(body);
  if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
  const input = parsed.data;
  const issues: FieldIssue[] = [];
  const patch: CampaignPatch = moneyFields(input, currency, issues);
  if (input.name !== undefined) patch.name = input.name;
  if (input.vendor !== undefined) patch.vendor = input.vendor;
  if (input.advertiser !== undefined) patch.advertiser = input.advertiser;
  if (input.product_ids !== undefined) patch.productIds = input.product_ids;
  if (input.starts_at !== undefined) patch.startsAt = new Date(input.starts_at);
  if (input.ends_at !== undefined) patch.endsAt = input.ends_at === null ? null : new Date(input.ends_at);
  if (input.placements !== undefined) patch.placements = input.placements;
  if (input.status !== undefined) patch.status = input.status;
  if (!Object.keys(input).length) issues.push({ field: 'body', message: 'the body changes nothing: name at least one field' });
  return issues.length ? { ok: false, issues } : { ok: true, value: patch };
}

/**
 * The rules between fields (the same as the table's constraints, in words): budgets at least the
 * bid and the daily budget, the end after the start. Fields left undefined are not judged.
 */
export function checkCampaignFields(fields: Partial<CampaignFields>, currency: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { maxCpcMinor: bid, dailyBudgetMinor: daily, totalBudgetMinor: total, startsAt, endsAt } = fields;
  if (bid !== undefined && daily !== undefined && daily < bid) {
    issues.push({ field: 'daily_budget', message: `daily_budget must be at least max_cpc (${fromMinorUnits(bid, currency)})` });
  }
  if (daily !== undefined && total !== undefined && total < daily) {
    issues.push({ field: 'total_budget', message: `total_budget must be at least daily_budget (${fromMinorUnits(daily, currency)})` });
  }
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
    issues.push({ field: 'ends_at', message: 'ends_at must be after starts_at' });
  }
  return issues;
}

/** What the caller read from the shop's catalog for the checks below. */
export interface CatalogFacts {
  /** Whether the vendor has at least one product (not deleted) in the shop's catalog. */
  vendorInCatalog: boolean;
  /** The listed products the shop has, by id (absent: no such product in this shop). */
  products: ReadonlyMap<string, { vendor: string | null; deleted: boolean }>;
}

/** The vendor must be one of the catalog's; every product must be the shop's, live, and the vendor's. */
export function checkCatalog(vendor: string, productIds: readonly string[], facts: CatalogFacts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!facts.vendorInCatalog) issues.push({ field: 'vendor', message: `vendor ${JSON.stringify(vendor)} has no products in this shop's catalog` });
  for (const id of productIds) {
    const product = facts.products.get(id);
    if (!product) issues.push({ field: 'product_ids', message: `product ${id} is not in this shop's catalog` });
    else if (product.deleted) issues.push({ field: 'product_ids', message: `product ${id} was deleted from this shop's catalog` });
    else if (product.vendor !== vendor) {
      issues.push({ field: 'product_ids', message: `product ${id} belongs to vendor ${JSON.stringify(product.vendor ?? '')}, not ${JSON.stringify(vendor)}` });
    }
  }
  return issues;
}

/** Status changes the merchant may make; `exhausted` is only ever set by the charger. */
const TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  exhausted: ['active', 'ended'],
  ended: [],
};

/**
 * Whether a campaign may go from `from` to `to`, given its (merged) total budget and what it has
 * spent: an exhausted campaign resumes only with budget left; the spend can never exceed the total.
 */
export function checkStatusAndSpend(
  { from, to, totalBudgetMinor, spentTotalMinor }: { from: CampaignStatus; to: CampaignStatus; totalBudgetMinor: number; spentTotalMinor: number },
  currency: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const spent = fromMinorUnits(spentTotalMinor, currency);
  if (totalBudgetMinor < spentTotalMinor) {
    issues.push({ field: 'total_budget', message: `total_budget must be at least the ${spent} already spent` });
  }
  if (to === from) return issues;
  if (to === 'exhausted') {
    issues.push({ field: 'status', message: 'status exhausted is set only when the total budget is spent' });
  } else if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from].filter((s) => s !== 'exhausted');
    issues.push({
      field: 'status',
      message: allowed.length ? `status cannot change from ${from} to ${to} (allowed: ${allowed.join(', ')})` : `status cannot change from ${from}: it is final`,
    });
  } else if (from === 'exhausted' && to === 'active' && totalBudgetMinor <= spentTotalMinor) {
    issues.push({ field: 'status', message: `an exhausted campaign resumes only once total_budget is raised above the ${spent} already spent` });
  }
  return issues;
}
