import { customerPseudonym } from '../../../shared/crypto';
import type { Db, HoldoutGroup } from '../../../shared/db';
import { DEFAULT_HOLDOUT_SHARE_BP, exposureDay, holdoutGroup } from '../../../shared/holdout';
import { signRecommendationToken, type StorefrontEventEntry, type TokenPlacement } from '../../../shared/tracking';
import { writeEventBatch } from '../../../worker/events';
import { zipfPicker } from '../support/storefront-store';
import type { BenchCatalog } from './catalog';

/** A click by a shopper, kept for the order generator (orders that follow clicks). */
export interface BenchClick {
  /** Index of the customer (null: a visitor who is not logged in). */
  customer: number | null;
  visitor: number;
  productId: string;
  atMs: number;
  token: string;
  sponsored: boolean;
}

export interface EventsOptions {
  db: Db;
  shop: string;
  catalog: BenchCatalog;
  tokenKey: Buffer;
  /** Keys the visitor and customer pseudonyms (CUSTOMER_ID_KEY). */
  pseudonymKey: string;
  events: number;
  visitors: number;
  /** Every `customerEvery`-th visitor is a logged-in customer. */
  customerEvery: number;
  startMs: number;
  endMs: number;
  random: () => number;
  /** Entries per writeEventBatch call (the consumer's default batch is 500). */
  batchSize: number;
  /** Batches written at once. */
  concurrency: number;
  progress?: (written: number) => void;
}

export interface EventsWritten {
  events: number;
  byType: Record<StorefrontEventEntry['type'], number>;
  sponsored: number;
  charged: number;
  clicks: BenchClick[];
  /** holdout_exposures rows written, and how many of them are of the holdout group. */
  exposures: number;
  holdoutExposures: number;
}

const PLACEMENTS: TokenPlacement[] = ['related', 'fbt', 'for_you', 'cart'];
const DAY_MS = 86_400_000;

/** The visitor id the block keeps in localStorage (and an order's `_shelfwise_visitor` carries). */
export function visitorIdOf(visitor: number): string {
  return `vis${String(visitor).padStart(7, '0')}`;
}

/** Customer index → the pseudonym orders and events carry. */
export function customerKeyOf(pseudonymKey: string, shop: string, customer: number): string {
  return customerPseudonym(pseudonymKey, shop, String(900_000_001 + customer));
}

/**
 * Storefront traffic over [startMs, endMs): blocks of recommendations (6 products; 5 % are the
 * Sponsored block, 4 sponsored products) shown to visitors (Zipf-active), each product an
 * impression with a real signed token, ~4 % clicked, ~30 % of clicks followed by an add to cart;
 * 40 % of regular blocks carry one sponsored slot (≈10 % of events sponsored). Traffic grows
 * over the year (more recent days are busier). Every event goes through the worker's
 * writeEventBatch — receipts, daily counts, rows and sponsored click charges, as in production.
 * All shoppers consented, so every event is also a storefront_events row. Each visitor and day
 * with a block asked for is a holdout_exposures row (the shop's default holdout share); visitors
 * of the holdout group are shown no block, so they have exposures and no events.
 */
export async function writeStorefrontEvents(options: EventsOptions): Promise<EventsWritten> {
  const { shop, catalog, random } = options;
  const pickProduct = zipfPicker(catalog.productIds, random, 0.9);
  const visitorIds = Array.from({ length: options.visitors }, (_, i) => i);
  const pickVisitor = zipfPicker(visitorIds, random, 0.6);
  const visitorKeys = visitorIds.map((i) => customerPseudonym(options.pseudonymKey, shop, `visitor:${visitorIdOf(i)}`));
  const groups = visitorKeys.map((key) => holdoutGroup(shop, key, DEFAULT_HOLDOUT_SHARE_BP));
  const exposures = new Map<string, { day: string; visitor: number; firstSeenMs: number; grp: HoldoutGroup }>();
  const customerKeys = new Map<number, string>();
  const customerOf = (visitor: number): number | null => (visitor % options.customerEvery === 0 ? visitor / options.customerEvery : null);
  const pickCampaign = zipfPicker(catalog.campaigns, random, 0.8);
  const span = options.endMs - options.startMs;

  const out: EventsWritten = { events: 0, byType: { impression: 0, click: 0, add_to_cart: 0 }, sponsored: 0, charged: 0, clicks: [], exposures: 0, holdoutExposures: 0 };
  const pending: StorefrontEventEntry[] = [];
  let inFlight: Array<Promise<void>> = [];
  let block = 0;
  const write = async (entries: StorefrontEventEntry[]) => {
    const result = await writeEventBatch(options.db, entries);
    out.charged += result.sponsored.charged;
  };
  const flush = async (force: boolean) => {
    while (pending.length >= options.batchSize || (force && pending.length)) {
      inFlight.push(write(pending.splice(0, options.batchSize)));
      if (inFlight.length >= options.concurrency) {
        await Promise.all(inFlight);
        inFlight = [];
        options.progress?.(out.events);
      }
    }
    if (force) await Promise.all(inFlight);
  };

  while (out.events < options.events) {
    block++;
    // sqrt: the density grows linearly over the year.
    const at = options.startMs + Math.floor(Math.sqrt(random()) * span);
    const visitor = pickVisitor();
    const day = exposureDay(at);
    const exposure = exposures.get(`${day}|${visitor}`);
    if (!exposure) exposures.set(`${day}|${visitor}`, { day, visitor, firstSeenMs: at, grp: groups[visitor]! });
    else exposure.firstSeenMs = Math.min(exposure.firstSeenMs, at);
    if (groups[visitor] === 'holdout') continue;
    const customer = customerOf(visitor);
    let customerKey: string | null = null;
    if (customer !== null) {
      customerKey = customerKeys.get(customer) ?? customerKeyOf(options.pseudonymKey, shop, customer);
      customerKeys.set(customer, customerKey);
    }
    const sponsoredBlock = random() < 0.05;
    const placement: TokenPlacement = sponsoredBlock ? 'sponsored' : PLACEMENTS[Math.floor(random() * PLACEMENTS.length)]!;
    const dayIndex = Math.floor((at - options.startMs) / DAY_MS);
    const modelVersion = random() < 0.05 ? null : `v${1 + Math.floor(dayIndex / 61)}`;
    const impressionId = `im${block.toString(36).padStart(10, '0')}`;
    const size = sponsoredBlock ? 4 : 6;
    const sponsoredSlot = sponsoredBlock ? -1 : random() < 0.4 ? Math.floor(random() * size) : -2;
    const shown = new Set<string>();
    for (let position = 0; position < size && out.events < options.events; position++) {
      const isSponsored = sponsoredSlot === -1 || sponsoredSlot === position;
      let productId: string;
      let sponsorship: { campaignId: string; priceMinor: number } | null = null;
      if (isSponsored) {
        const campaign = pickCampaign();
        productId = campaign.productIds[Math.floor(random() * campaign.productIds.length)]!;
        sponsorship = { campaignId: campaign.id, priceMinor: Math.max(1, Math.floor(campaign.maxCpcMinor * (0.5 + random() / 2))) };
      } else productId = pickProduct();
      if (shown.has(productId)) continue;
      shown.add(productId);
      const issuedAt = Math.floor(at / 1000);
      const token = signRecommendationToken(options.tokenKey, shop, { impressionId, placement, productId, position, modelVersion, sponsored: isSponsored, issuedAt, sponsorship });
      const base = {
        v: 1 as const,
        shop,
        consent: true,
        visitor_key: visitorKeys[visitor]!,
        customer_key: customerKey,
        impression_id: impressionId,
        placement,
        product_id: productId,
        position,
        model_version: modelVersion,
        sponsored: isSponsored,
        token,
        ...(sponsorship ? { campaign_id: sponsorship.campaignId, price_minor: sponsorship.priceMinor } : {}),
      };
      const push = (type: StorefrontEventEntry['type'], occurred: number, extra: Partial<StorefrontEventEntry> = {}) => {
        const id = `ev-${(out.events + 1).toString(36).padStart(9, '0')}`;
        pending.push({ ...base, ...extra, id, type, occurred_at: occurred, received_at: occurred + 150 });
        out.events++;
        out.byType[type]++;
        if (isSponsored) out.sponsored++;
      };
      push('impression', at);
      if (out.events < options.events && random() < (isSponsored ? 0.03 : 0.04)) {
        const clickAt = at + 5_000 + Math.floor(random() * 55_000);
        push('click', clickAt);
        out.clicks.push({ customer, visitor, productId, atMs: clickAt, token, sponsored: isSponsored });
        if (out.events < options.events && random() < 0.3) {
          push('add_to_cart', clickAt + 30_000 + Math.floor(random() * 90_000), { variant_id: catalog.variantOf.get(productId)!, quantity: 1 + Math.floor(random() * 2) });
        }
      }
    }
    await flush(false);
  }
  await flush(true);
  const rows = [...exposures.values()].map((e) => ({ shop, day: e.day, visitor_key: visitorKeys[e.visitor]!, grp: e.grp, first_seen_at: new Date(e.firstSeenMs) }));
  for (let i = 0; i < rows.length; i += 5000) await options.db.insertInto('holdout_exposures').values(rows.slice(i, i + 5000)).execute();
  out.exposures = rows.length;
  out.holdoutExposures = rows.filter((r) => r.grp === 'holdout').length;
  return out;
}
