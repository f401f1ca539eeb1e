import { z } from 'zod';
import { STOREFRONT_PLACEMENTS } from '../../../shared/storefront';

/** A product id as blocks send it (Shopify's numeric ids; any token-safe id in development stores). */
const PRODUCT_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** Most ids read from `cart`, `recent` and `exclude` (the first ones; the rest are ignored). */
export const MAX_IDS = { cart: 50, recent: 20, exclude: 50 } as const;

const idList = (max: number) =>
  z.string().transform((raw, ctx) => {
    const ids = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // A long page or a big cart must not hide the block: the first `max` ids count, the rest are
    // ignored (a hard cap on the work a request can ask for, not an error a shopper can cause).
    if (ids.length > max) ids.length = max;
    const bad = ids.find((id) => !PRODUCT_ID.test(id));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `not a product id: ${JSON.stringify(bad.slice(0, 64))}` });
      return z.NEVER;
    }
    return [...new Set(ids)];
  });

const count = (what: string) =>
  z
    .string()
    .regex(/^\d{1,3}$/, `${what} must be a whole number from 1 to 20`)
    .transform(Number)
    .pipe(z.number().min(1, `${what} must be a whole number from 1 to 20`).max(20, `${what} must be a whole number from 1 to 20`));

/** The recommendations query (docs/storefront.md); Shopify's own parameters pass through unread. */
const recommendationsQuery = z
  .object({
    placement: z.enum(STOREFRONT_PLACEMENTS, { message: `placement must be one of ${STOREFRONT_PLACEMENTS.join(', ')}` }),
    product_id: z.string().regex(PRODUCT_ID, 'product_id must be a product id').optional(),
    cart: idList(MAX_IDS.cart).default([]),
    recent: idList(MAX_IDS.recent).default([]),
    exclude: idList(MAX_IDS.exclude).default([]),
    limit: count('limit').default(4),
    max_per_vendor: count('max_per_vendor').optional(),
    format: z.enum(['json', 'liquid'], { message: 'format must be json or liquid' }).default('json'),
    /** Sponsored slots the block allows (its theme editor's setting); the shop's slots_per_block caps it. */
    sponsored: z
      .string()
      .regex(/^[0-4]$/, 'sponsored must be a whole number from 0 to 4')
      .transform(Number)
      .default(0),
    /** The visitor id the tracking embed keeps (consenting visitors only): decides the holdout group (docs/holdout.md). */
    visitor: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/, 'visitor must be 8-64 characters of [0-9A-Za-z_-]').optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.placement === 'related' || q.placement === 'fbt') && !q.product_id) {
      ctx.addIssue({ code: 'custom', path: ['product_id'], message: `product_id is required for placement ${q.placement}` });
    }
  });

export type RecommendationsQuery = z.infer<typeof recommendationsQuery>;

export type QueryParse = { ok: true; query: RecommendationsQuery } | { ok: false; issues: Array<{ param: string; message: string }> };

/** Validates the query once per request; problems come back as values, one per parameter. */
export function parseRecommendationsQuery(raw: unknown): QueryParse {
  const parsed = recommendationsQuery.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const param = String(issue.path[0] ?? 'query');
      const given = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[param] : undefined;
      if (given === undefined && issue.path.length && issue.code !== 'custom') return { param, message: `${param} is required` };
      // A repeated parameter arrives as an array: say so rather than "expected string".
      if (Array.isArray(given)) return { param, message: `${param} must be given once` };
      return { param, message: issue.message };
    }),
  };
}
