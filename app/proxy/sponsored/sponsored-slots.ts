import type { Db } from '../../../shared/db';
import type { Logger } from '../../../shared/logger';
import { dayFraction, participationProbability, predictedCtr, runAuction, spendDay, type AuctionBidder, type AuctionWin } from '../../../shared/sponsored';
import type { CatalogProduct, StorefrontCatalog } from '../recommendations/catalog';
import { CatalogCache } from '../recommendations/catalog-cache';
import type { CampaignBook, SponsoredPlacement, SpendSnapshot } from './campaign-book';
import type { FrequencyCaps } from './frequency-cap';
import { campaignBookRevision, loadCampaignBook, loadSpend } from './load-campaigns';
import { buildPromotedIndex, candidateProducts, type PromotedIndex } from './promoted-index';
import { relevanceScorer, type RelevanceContext } from './relevance';

/** Spend is re-read at most this often per shop: pacing and exhaustion react within about a second. */
export const SPEND_REFRESH_MS = 1000;
/** Auctions a request may run while winners turn out to be capped for its shopper. */
const MAX_CLAIM_ROUNDS = 3;
/** The Sponsored products block shows at most this many, whatever its `limit`. */
export const MAX_SPONSORED_BLOCK_PRODUCTS = 8;

export interface SponsoredRequest {
  shop: string;
  /** Where the slots are: the block's placement, or `sponsored` for the Sponsored products block. */
  placement: SponsoredPlacement;
  /** Slots the block allows (capped by the shop's slots_per_block, except in the Sponsored block). */
  slots: number;
  /** Products the answer must not hold: current, cart, exclude, rule-excluded, already picked. */
  blocked: (id: string) => boolean;
  /** The shop's catalog as loaded (also keys the promoted-products index). */
  catalog: StorefrontCatalog;
  /** What relevance is judged against: the request's list, its anchor products, the popular list. */
  context: RelevanceContext<CatalogProduct>;
  /** Who the frequency cap counts: the customer's pseudonym, else the shopper's address. */
  subject: string;
}

export interface SponsoredPick {
  product: CatalogProduct;
  campaignId: string;
  priceMinor: number;
}

export interface SponsoredSlotsOptions {
  db: Db;
  caps: FrequencyCaps;
  logger: Logger;
  /** How long a shop's campaigns stay in memory unless their revision changes, in ms. */
  cacheMs: number;
  now: () => number;
  /** [0, 1): pacing draws; tests pass a seeded one. */
  random?: () => number;
}

/**
 * The auction for a request's sponsored slots (docs/sponsored.md): the shop's active campaigns and
 * spend from memory, pacing and budgets, the visitor's frequency cap, relevance in context,
 * generalized second price. No database query on the request path once a shop is loaded; one
 * Redis read and one atomic claim when there are candidates.
 */
export class SponsoredSlots {
  private readonly books: CatalogCache<CampaignBook>;
  private readonly spends: CatalogCache<SpendSnapshot>;
  private readonly random: () => number;
  private readonly indexes = new WeakMap<CampaignBook, WeakMap<StorefrontCatalog, PromotedIndex>>();

  constructor(private readonly options: SponsoredSlotsOptions) {
    const { db, now, logger } = options;
    this.books = new CatalogCache<CampaignBook>({
      load: (shop) => loadCampaignBook(db, shop, now()),
      // The hour is part of the revision: observed click-through counts are re-read hourly.
      revision: async (shop) => `${await campaignBookRevision(db, shop)}|${Math.floor(now() / 3_600_000)}`,
      ttlMs: options.cacheMs,
      now,
      logger,
      what: 'sponsored campaigns',
    });
    this.spends = new CatalogCache<SpendSnapshot>({ load: (shop) => loadSpend(db, shop, spendDay(now())), ttlMs: SPEND_REFRESH_MS, now, logger, what: 'sponsored spend' });
    this.random = options.random ?? Math.random;
  }

  async pick(request: SponsoredRequest): Promise<SponsoredPick[]> {
    const book = await this.books.get(request.shop);
    if (!book.campaigns.length) return [];
    const slots = request.placement === 'sponsored' ? Math.min(request.slots, MAX_SPONSORED_BLOCK_PRODUCTS) : Math.min(request.slots, book.settings.slotsPerBlock);
    if (slots <= 0) return [];
    const spend = await this.spends.get(request.shop);
    const nowMs = this.options.now();
    const day = spendDay(nowMs);
    const fraction = dayFraction(nowMs);
    const today = spend.day === day ? spend.today : new Map<string, number>();
    const { settings } = book;

    const running = book.campaigns.filter((c) => {
      if (!c.placements.has(request.placement) || c.startsAt > nowMs || (c.endsAt !== null && c.endsAt <= nowMs)) return false;
      const total = spend.total.get(c.id);
      if (total === undefined || total >= c.totalBudgetMinor) return false;
      const spentToday = today.get(c.id) ?? 0;
      if (spentToday >= c.dailyBudgetMinor || c.maxCpcMinor < settings.reserveMinor) return false;
      return this.random() < participationProbability({ dailyBudgetMinor: c.dailyBudgetMinor, spentTodayMinor: spentToday, dayFraction: fraction, schedule: book.schedule });
    });
    if (!running.length) return [];

    // Every (campaign, product) bid enters: campaigns promoting the same product compete for it
    // (the auction gives a product one slot and prices its winner against the other bids). Only
    // products that could be relevant here are looked at (promoted-index.ts).
    const bidding = new Set(running.map((c) => c.id));
    const index = this.promotedIndex(book, request.catalog);
    const relevance = relevanceScorer(request.context);
    const bidders: AuctionBidder[] = [];
    for (const id of candidateProducts(index, request.context, settings.relevanceThreshold)) {
      if (request.blocked(id)) continue;
      const product = request.catalog.byId.get(id)!;
      let score: number | undefined;
      // The index holds eligible products of each campaign's own vendor only.
      for (const c of index.campaignsOf.get(id) ?? []) {
        if (!bidding.has(c.id)) continue;
        score ??= relevance(product);
        if (score < settings.relevanceThreshold) break;
        const observed = book.observed.get(id);
        bidders.push({ campaignId: c.id, productId: id, bidMinor: c.maxCpcMinor, quality: predictedCtr({ relevance: score, impressions: observed?.impressions ?? 0, clicks: observed?.clicks ?? 0 }) });
      }
    }
    if (!bidders.length) return [];
    // Frequency caps, optimistically: the winners are claimed (one atomic Redis call); a winner
    // its shopper has seen enough today drops out and the auction runs again without it. Most
    // requests meet no cap and pay one round trip, not a read and a claim.
    const capped = new Set<string>();
    const granted = new Set<string>();
    let wins: AuctionWin[] = [];
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      wins = runAuction(capped.size ? bidders.filter((b) => !capped.has(b.campaignId)) : bidders, { slots, reserveMinor: settings.reserveMinor });
      const toClaim = wins.map((w) => w.campaignId).filter((id) => !granted.has(id));
      if (!toClaim.length) break;
      const ok = await this.options.caps.claim(request.shop, request.subject, day, toClaim, settings.frequencyCapPerDay);
      for (const id of toClaim) (ok.has(id) ? granted : capped).add(id);
      if (ok.size === toClaim.length) break;
    }
    return wins.filter((w) => granted.has(w.campaignId)).map((w) => ({ product: request.catalog.byId.get(w.productId)!, campaignId: w.campaignId, priceMinor: w.priceMinor }));
  }

  private promotedIndex(book: CampaignBook, catalog: StorefrontCatalog): PromotedIndex {
    let byCatalog = this.indexes.get(book);
    if (!byCatalog) this.indexes.set(book, (byCatalog = new WeakMap()));
    let index = byCatalog.get(catalog);
    if (!index) byCatalog.set(catalog, (index = buildPromotedIndex(book, (id) => catalog.byId.get(id))));
    return index;
  }
}
