import { sql } from 'kysely';
import { customerPseudonym } from '../../../../shared/crypto';
import { mulberry32 } from '../../../../shared/random';
import type { Db } from '../../../../shared/db';
import { signRecommendationToken, TOKEN_PROPERTY, type StorefrontEventEntry, type TokenPlacement } from '../../../../shared/tracking';
import { reattributeOrder } from '../../../../worker/attribution';
import { writeEventBatch } from '../../../../worker/events';
import { orderPayload as orderSchema, orderRecord, productPayload as productSchema, productRecord, refundPayload as refundSchema, refundRecord } from '../../../../worker/ingest';
import { applyRefund, upsertOrder, upsertProduct } from '../../../../worker/store';
import { orderPayload, productPayload, refundPayload } from '../../../support/shopify-payloads';

/** A small seeded PRNG (mulberry32): the same seed makes the same store. */
export const prng = mulberry32;

export interface SeedOptions {
  shop: string;
  seed: number;
  /** First day of the data, `YYYY-MM-DD`; events and orders spread over the next `days` days. */
  start: string;
  days: number;
  impressions: number;
  orders: number;
  customerIdKey: string;
  tokenKey: Buffer;
}

export interface SeededCampaign {
  id: string;
  name: string;
  vendor: string;
  products: string[];
}

export interface SeededStore {
  /** Every event entry sent to the batch writer (redeliveries included). */
  entries: StorefrontEventEntry[];
  campaigns: SeededCampaign[];
  /** model_versions ids inserted; the last one serves. */
  versions: string[];
}

const DAY_MS = 86_400_000;
const ORGANIC: TokenPlacement[] = ['related', 'fbt', 'for_you', 'cart'];
const PRODUCTS = Array.from({ length: 10 }, (_, i) => ({ id: String(2001 + i), vendor: i < 4 ? 'Acme' : i < 7 ? 'Birch & Co' : 'Other', priceMinor: 500 + 125 * i }));

/**
 * A store written through the real writers only: products (store upsert), campaigns and model
 * versions (rows as the admin API and the trainer write them), storefront events through the
 * events batch writer (which charges sponsored clicks with the real charger; one batch is
 * delivered twice), orders through the store upsert then reattributeOrder, refunds through
 * applyRefund then reattributeOrder, a cancelled order and test orders.
 */
export async function seedStore(db: Db, o: SeedOptions): Promise<SeededStore> {
  const rnd = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const startMs = Date.parse(`${o.start}T00:00:00Z`);
  const deps = { db, tokenKey: o.tokenKey, customerIdKey: o.customerIdKey, now: () => new Date(startMs + o.days * DAY_MS) };

  await db.insertInto('shops').values({ domain: o.shop, active: true, scope: null, currency: 'GBP', installed_at: new Date(startMs), uninstalled_at: null }).execute();
  for (const p of PRODUCTS) {
    const payload = productPayload({ id: Number(p.id), title: `Product ${p.id}`, vendor: p.vendor, variants: [] });
    await upsertProduct(db, productRecord(o.shop, productSchema.parse(payload)));
  }

  const campaigns: SeededCampaign[] = [];
  const campaignDefs = [
    { name: 'Acme spring', vendor: 'Acme', products: ['2001', '2002'], total: 1_000_000 },
    { name: 'Acme "mugs", again', vendor: 'Acme', products: ['2003'], total: 150 },
    { name: 'Birch push', vendor: 'Birch & Co', products: ['2005', '2006'], total: 1_000_000 },
  ];
  for (const c of campaignDefs) {
    const row = await db
      .insertInto('sponsored_campaigns')
      .values({
        shop: o.shop,
        name: c.name,
        vendor: c.vendor,
        advertiser: c.vendor,
        max_cpc_minor: 60,
        daily_budget_minor: Math.min(100_000, c.total),
        total_budget_minor: c.total,
        currency: 'GBP',
        starts_at: new Date(startMs - DAY_MS),
        ends_at: null,
        placements: JSON.stringify(['related', 'sponsored']),
        status: 'active',
      })
      .returning(sql<string>`id::text`.as('id'))
      .executeTakeFirstOrThrow();
    for (const product of c.products) await db.insertInto('sponsored_campaign_products').values({ campaign_id: row.id, shop: o.shop, product_id: product }).execute();
    campaigns.push({ id: row.id, name: c.name, vendor: c.vendor, products: c.products });
  }

  const versions: string[] = [];
  for (const [k, metrics] of [{ related: { ndcg: 0.21 } }, { related: { ndcg: 0.25 } }].entries()) {
    const { rows } = await sql<{ id: string }>`
      insert into model_versions (shop, created_at, status, model, metrics, backend, fit_seconds, peak_rss_bytes)
      values (${o.shop}, ${new Date(startMs + k * DAY_MS)}, ${k === 0 ? 'superseded' : 'published'}, 'blend', ${JSON.stringify(metrics)}::jsonb, 'js', 1.5, 1000)
      returning id::text as id
    `.execute(db);
    versions.push(rows[0]!.id);
  }
  await sql`insert into training_status (shop, status, serving_version_id, last_version_id, last_run_at) values (${o.shop}, 'published', ${versions[1]}::bigint, ${versions[1]}::bigint, now())`.execute(db);

  const customers = Array.from({ length: 24 }, (_, i) => ({
    id: 7000 + i,
    visitorId: `visitor-${String(i).padStart(4, '0')}`,
    customerKey: customerPseudonym(o.customerIdKey, o.shop, 7000 + i),
    visitorKey: customerPseudonym(o.customerIdKey, o.shop, `visitor:visitor-${String(i).padStart(4, '0')}`),
  }));

  // Events: impressions, some clicked, some of those added to the cart.
  const entries: StorefrontEventEntry[] = [];
  const clicksByCustomer = new Map<number, Array<{ productId: string; token: string; at: number }>>();
  let n = 0;
  for (let i = 0; i < o.impressions; i++) {
    const c = pick(customers);
    const product = pick(PRODUCTS);
    const campaign = campaigns.find((x) => x.products.includes(product.id));
    const sponsored = campaign !== undefined && rnd() < 0.5;
    const placement: TokenPlacement = sponsored ? pick(['related', 'sponsored'] as const) : pick(ORGANIC);
    const modelVersion = sponsored ? null : pick([versions[0]!, versions[1]!, null]);
    const at = startMs + Math.floor(rnd() * o.days * DAY_MS);
    const impressionId = `imp${String(i).padStart(6, '0')}`;
    const priceMinor = 10 + Math.floor(rnd() * 40);
    const token = signRecommendationToken(o.tokenKey, o.shop, {
      impressionId,
      placement,
      productId: product.id,
      position: Math.floor(rnd() * 4),
      modelVersion,
      sponsored,
      issuedAt: Math.floor(at / 1000),
      sponsorship: sponsored ? { campaignId: campaign!.id, priceMinor } : null,
    });
    const consent = rnd() < 0.8;
    const base = {
      v: 1 as const,
      shop: o.shop,
      consent,
      visitor_key: consent ? c.visitorKey : null,
      customer_key: consent ? c.customerKey : null,
      impression_id: impressionId,
      placement,
      product_id: product.id,
      position: 0,
      model_version: modelVersion,
      sponsored,
      token,
      ...(sponsored ? { campaign_id: campaign!.id, price_minor: priceMinor } : {}),
    };
    entries.push({ ...base, id: `ev-${String(n++).padStart(8, '0')}`, type: 'impression', occurred_at: at, received_at: at + 500 });
    if (rnd() < 0.35) {
      const clickAt = at + Math.floor(rnd() * 3_600_000);
      entries.push({ ...base, id: `ev-${String(n++).padStart(8, '0')}`, type: 'click', occurred_at: clickAt, received_at: clickAt + 500 });
      const list = clicksByCustomer.get(c.id) ?? [];
      list.push({ productId: product.id, token, at: clickAt });
      clicksByCustomer.set(c.id, list);
      if (rnd() < 0.4) entries.push({ ...base, id: `ev-${String(n++).padStart(8, '0')}`, type: 'add_to_cart', occurred_at: clickAt + 1000, received_at: clickAt + 1500, variant_id: '1', quantity: 1 });
    }
  }
  // In received order, in batches as the consumer reads them; one batch delivered again.
  const sent = [...entries].sort((a, b) => a.received_at - b.received_at);
  const batches: StorefrontEventEntry[][] = [];
  for (let i = 0; i < sent.length; i += 40) batches.push(sent.slice(i, i + 40));
  for (const batch of batches) await writeEventBatch(db, batch);
  if (batches.length) {
    const again = batches[Math.floor(rnd() * batches.length)]!;
    await writeEventBatch(db, again);
    entries.push(...again);
  }

  // Orders, a tenth of them refunded, test orders and one cancelled.
  let cancelled = false;
  for (let i = 0; i < o.orders; i++) {
    const id = 90_000 + i;
    const guest = rnd() < 0.1;
    const c = pick(customers);
    const created = startMs + Math.floor(rnd() * o.days * DAY_MS);
    const clicks = (clicksByCustomer.get(c.id) ?? []).filter((k) => k.at < created);
    const lines = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => {
      const clicked = clicks.length && rnd() < 0.5 ? pick(clicks) : null;
      const product = clicked ? PRODUCTS.find((p) => p.id === clicked.productId)! : pick(PRODUCTS);
      const quantity = 1 + Math.floor(rnd() * 3);
      const discount = rnd() < 0.2 ? Math.floor(rnd() * product.priceMinor) : 0;
      const tagged = clicked && rnd() < 0.5;
      return {
        id: id * 10 + k,
        product_id: Number(product.id),
        variant_id: Number(product.id) * 10,
        title: `Line of ${product.id}`,
        quantity,
        price: (product.priceMinor / 100).toFixed(2),
        total_discount: (discount / 100).toFixed(2),
        properties: tagged ? [{ name: TOKEN_PROPERTY, value: clicked.token }] : [],
      };
    });
    const test = rnd() < 0.04;
    const cancel: boolean = !cancelled && !test && i > o.orders / 2;
    cancelled ||= cancel;
    const createdIso = new Date(created).toISOString();
    const payload = orderPayload({
      id,
      name: `#${id}`,
      created_at: createdIso,
      updated_at: createdIso,
      processed_at: createdIso,
      customer: guest ? null : { id: c.id },
      note_attributes: rnd() < 0.7 ? [{ name: '_shelfwise_visitor', value: c.visitorId }] : [],
      test,
      cancelled_at: cancel ? createdIso : null,
      line_items: lines,
      refunds: [],
    });
    await upsertOrder(db, orderRecord(o.shop, orderSchema.parse(payload), o.customerIdKey));
    await reattributeOrder(deps, o.shop, String(id));
    if (rnd() < 0.15) {
      const line = pick(lines);
      const full = rnd() < 0.5;
      const unitNet = Math.round(Number(line.price) * 100);
      const subtotal = full ? unitNet * line.quantity : unitNet;
      const refund = refundPayload({
        id: id * 10 + 9,
        order_id: id,
        created_at: new Date(created + DAY_MS).toISOString(),
        refund_line_items: [{ id: id * 100 + 1, line_item_id: line.id, quantity: full ? line.quantity : 1, subtotal: (subtotal / 100).toFixed(2), subtotal_set: { shop_money: { amount: (subtotal / 100).toFixed(2), currency_code: 'GBP' } } }],
      });
      await applyRefund(db, refundRecord(o.shop, refundSchema.parse(refund)));
      await reattributeOrder(deps, o.shop, String(id));
    }
  }
  return { entries, campaigns, versions };
}
