import { z } from 'zod';

/** One card of a recommendations answer, as far as a shopper (and its beacon) needs it. */
const card = z.object({
  id: z.string(),
  title: z.string().optional(),
  price_minor: z.number().int().nonnegative(),
  currency: z.string().length(3),
  variant_id: z.string().nullish(),
  token: z.string().min(1),
  sponsored: z.boolean().default(false),
  campaign_id: z.string().optional(),
});
export type ShownCard = z.infer<typeof card>;

/**
 * `GET /proxy/recommendations` and `/proxy/sponsored` answers (docs/storefront.md). Both the
 * answer before the holdout existed and the holdout's `{products: [], holdout: true}` parse:
 * everything but `products` is optional.
 */
const answer = z.object({
  placement: z.string().optional(),
  impression_id: z.string().optional(),
  products: z.array(card),
  holdout: z.boolean().optional(),
});

export type BlockAnswer = { ok: true; holdout: boolean; cards: ShownCard[] } | { ok: false; reason: string };

/** Reads an answer's JSON; any other shape is a value naming what was wrong, never a throw. */
export function parseBlockAnswer(status: number, text: string): BlockAnswer {
  if (status !== 200) return { ok: false, reason: `HTTP ${status} ${text.slice(0, 200)}`.trim() };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'answer is not JSON' };
  }
  const parsed = answer.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `unexpected answer: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, holdout: parsed.data.holdout === true, cards: parsed.data.products };
}
