import { PUBLISHED_LIST_LENGTH } from '../../shared/serving';
import {
  buildHoldout,
  FBT_ANCHOR_SEED,
  itemRecommender,
  protocolHoldouts,
  topK,
  userRecommender,
  type Holdout,
  type ModelReport,
  type PurchaseLog,
  type TrainingSet,
} from '../recommend/evaluation';
import { basketPopularityModel, buyAgainModel, coOccurrenceModel, popularityModel } from '../recommend/models';
import { encodeIalsArtifact } from '../recommend/models/ials-artifact';
import { cartBlend, coldProductLists, forYouBlend, productBlend, trendingScores, usesTensorFlow, type BlendChoice, type CatalogProduct, type Placement, type PlacementBlend } from '../recommend/placements';
import { chooseTfBackend } from '../recommend/tf/backend';
import { popularProducts, purchaseHistories } from './purchase-facts';

/** Length of every published list (the storefront shows at most this many). */
export const LIST_LENGTH = PUBLISHED_LIST_LENGTH;

/**
 * Below these a store is `not_enough_data`: it gets the trending fallback, not a model.
 * - orders: 50 orders (invoices) in the whole log — fewer gives blends nothing to learn and
 *   metrics that are noise;
 * - customers: 20 customers with a purchase before the test window;
 * - items: 10 products bought by a customer before the test window;
 * - testUsers: at least 1 user query on `next-30d-all` in the test window and in the validation
 *   window (no test users = nothing to judge the model by; none in validation = nothing to tune on).
 */
export interface TrainingThresholds {
  minOrders: number;
  minCustomers: number;
  minItems: number;
  minTestUsers: number;
}

export const DEFAULT_THRESHOLDS: TrainingThresholds = { minOrders: 50, minCustomers: 20, minItems: 10, minTestUsers: 1 };

/** Everything trainFromLog needs: plain data, structured-cloneable (it may run in a child process). */
export interface TrainInput {
  log: PurchaseLog;
  /** The store's products with their text, bought or not (cold products get text-based lists). */
  products: CatalogProduct[];
  /** Default LIST_LENGTH. */
  listLength?: number;
  /** Default DEFAULT_THRESHOLDS. */
  thresholds?: Partial<TrainingThresholds>;
}

/** What the data held; recorded with every version and status. */
export interface DataCounts {
  /** Line items kept (one row each). */
  rows: number;
  orders: number;
  /** Customers with at least one order (guests are not customers). */
  customers: number;
  /** Distinct products ordered. */
  items: number;
  /** Products in the store (bought or not). */
  products: number;
  /** Wall-clock seconds of the first and last order; null when there are none. */
  from: number | null;
  to: number | null;
  /** Customers and catalog items before the test window (what the blends are judged on). */
  trainingCustomers: number;
  trainingItems: number;
  /** `next-30d-all` queries in the validation and test windows. */
  validationUsers: number;
  testUsers: number;
}

/**
 * Precomputed top-k lists by placement, product codes best first. `for_you` is keyed by customer
 * key, `product` and `cart` by product code (catalog products from the blends, cold products from
 * their text); `trending` is the fallback for everything else, `popular` (all-time best sellers)
 * the one after it. `history` is no model: customer key → the customer's latest distinct
 * purchases, newest first, so the storefront can say "Because you bought …" only when true.
 * `popular` and `history` are optional for lists built before they existed (published as empty).
 */
export interface ServingLists {
  trending: string[];
  popular?: string[];
  for_you: Record<string, string[]>;
  product: Record<string, string[]>;
  cart: Record<string, string[]>;
  history?: Record<string, string[]>;
}

/** protocol → model → figures; the models are `blend` and the baselines judged beside it. */
export type ProtocolMetrics = Record<string, Record<string, ModelReport>>;

/** Row name of a placement's blend in the metrics. */
export const BLEND = 'blend';

export interface Trained {
  status: 'trained';
  counts: DataCounts;
  /** The protocol's split (wall-clock seconds). */
  windows: { end: number; testStart: number; validationStart: number };
  /** The TensorFlow.js backend in use. */
  backend: string;
  choices: Record<Placement, BlendChoice>;
  /** placement → protocol → model → metrics on the test window. */
  metrics: Record<Placement, ProtocolMetrics>;
  lists: ServingLists;
  /** Catalog product codes of the final fit (all data): the lists' vocabulary. */
  vocabulary: string[];
  /**
   * The for_you blend's iALS factors fitted on all data (whatever its weight), encoded by
   * `encodeIalsArtifact` with the final fit's customer ids and product codes as vocabulary;
   * `decodeIalsArtifact` reloads them. Null only if no blend fits factors.
   */
  artifact: Uint8Array | null;
  /** Seconds of the whole fit (tuning, evaluation, refit, lists). */
  fitSeconds: number;
  peakRssBytes: number;
  /** Seconds per phase; `placements` splits evaluate and refit by blend (tune on validation, fit on test training, refit on all). */
  phases: Record<'split' | 'evaluate' | 'refit' | 'lists', number> & { placements: Record<Placement, { tune: number; fit: number; refit: number }> };
}

export interface NotEnoughData {
  status: 'not_enough_data';
  counts: DataCounts;
  /** Which thresholds the data missed, in words. */
  reasons: string[];
  /** Trending only; the per-key lists are empty. */
  lists: ServingLists;
  vocabulary: string[];
  fitSeconds: number;
  peakRssBytes: number;
}

export type TrainOutcome = Trained | NotEnoughData;

/** A fit function with trainFromLog's shape: runTraining takes any (a child-process runner, a test double). */
export type FitFunction = (input: TrainInput) => Promise<TrainOutcome>;

const processPeakRss = () => process.resourceUsage().maxRSS * 1024;

interface Fittable<S> {
  readonly name: string;
  readonly backend?: string;
  fit(training: TrainingSet): S;
}

/** iALS solves in tfjs, and EASE's inverse runs in tf.matMul. */

/**
 * One placement: weights chosen on validation only, the chosen blend fitted on the test holdout's
 * training data and scored once on test, the baselines scored on the same queries by the blend's
 * own protocols.
 */
function judgePlacement<S>(
  blend: PlacementBlend<S>,
  baselines: readonly Fittable<S>[],
  { validation, test, backend, fitted }: { validation: Holdout; test: Holdout; backend: string; fitted: Map<Fittable<unknown>, { scorer: unknown; seconds: number }> },
): { choice: BlendChoice; metrics: ProtocolMetrics; tuneSeconds: number; fitSeconds: number } {
  const tuneStarted = performance.now();
  const choice = blend.tune(validation);
  const tuneSeconds = (performance.now() - tuneStarted) / 1000;
  const metrics: ProtocolMetrics = {};
  const put = (protocol: string, model: string, report: ModelReport) => {
    (metrics[protocol] ??= {})[model] = report;
  };
  const score = (name: string, modelBackend: string, scorer: S, seconds: number) => {
    const stats = { fitSeconds: seconds, peakRssBytes: processPeakRss(), backend: modelBackend };
    for (const [protocol, m] of Object.entries(blend.evaluate(scorer, test))) put(protocol, name, { ...m, ...stats });
  };
  const timed = <T>(fit: () => T) => {
    const started = performance.now();
    const scorer = fit();
    return { scorer, seconds: (performance.now() - started) / 1000 };
  };
  const own = timed(() => blend.fit(test.training, choice));
  score(BLEND, usesTensorFlow(blend) ? backend : 'none', own.scorer, own.seconds);
  for (const model of baselines) {
    // A baseline judged beside two placements (co-occurrence: product page and cart) is fitted once.
    let fit = fitted.get(model);
    if (!fit) fitted.set(model, (fit = timed(() => model.fit(test.training))));
    score(model.name, model.backend ?? 'none', fit.scorer as S, fit.seconds);
  }
  return { choice, metrics, tuneSeconds, fitSeconds: own.seconds };
}

function countsOf(log: PurchaseLog, products: readonly CatalogProduct[], holdouts?: { validation: Holdout; test: Holdout }): DataCounts {
  let from = Infinity;
  let to = -Infinity;
  for (const t of log.time) {
    if (t < from) from = t;
    if (t > to) to = t;
  }
  const rows = log.time.length;
  return {
    rows,
    orders: log.invoices.length,
    customers: log.customerIds.length,
    items: log.stockCodes.length,
    products: products.length,
    from: rows ? from : null,
    to: rows ? to : null,
    trainingCustomers: holdouts?.test.training.customerIds.length ?? 0,
    trainingItems: holdouts?.test.training.stockCodes.length ?? 0,
    validationUsers: holdouts?.validation.allItemQueries.length ?? 0,
    testUsers: holdouts?.test.allItemQueries.length ?? 0,
  };
}

function missedThresholds(c: DataCounts, t: TrainingThresholds): string[] {
  const reasons: string[] = [];
  if (c.orders < t.minOrders) reasons.push(`${c.orders} orders, fewer than ${t.minOrders}`);
  if (c.trainingCustomers < t.minCustomers) reasons.push(`${c.trainingCustomers} customers before the test window, fewer than ${t.minCustomers}`);
  if (c.trainingItems < t.minItems) reasons.push(`${c.trainingItems} products bought before the test window, fewer than ${t.minItems}`);
  if (c.testUsers < t.minTestUsers) reasons.push(`${c.testUsers} test users (customers buying in the last 30 days), fewer than ${t.minTestUsers}`);
  if (c.validationUsers < t.minTestUsers) reasons.push(`${c.validationUsers} validation users (customers buying in the 30 days before that), fewer than ${t.minTestUsers}`);
  return reasons;
}

/** Everything bought, as the final fit sees it: cutoff = the latest order, no queries. */
function allData(log: PurchaseLog): TrainingSet {
  let end = -Infinity;
  for (const t of log.time) if (t > end) end = t;
  return buildHoldout(log, { cutoff: end, windowEnd: end, seed: FBT_ANCHOR_SEED }).training;
}

/** Trending items of the final fit, padded with catalog products nobody bought yet. */
function trendingList(training: TrainingSet | null, products: readonly CatalogProduct[], k: number): string[] {
  const list = training ? Array.from(topK(trendingScores(training), Math.min(k, training.stockCodes.length)), (i) => training.stockCodes[i]!) : [];
  const seen = new Set(list);
  for (const p of products) {
    if (list.length >= k) break;
    if (!seen.has(p.code)) {
      seen.add(p.code);
      list.push(p.code);
    }
  }
  return list;
}

const codesOf = (training: TrainingSet, items: Int32Array) => Array.from(items, (i) => training.stockCodes[i]!);

/**
 * The pure core of a training run, no database or Redis: split the log by the protocol
 * (docs/evaluation.md), judge each placement's blend against its baselines on the test window
 * (weights chosen on validation only), refit every blend on all data and compute the top-k lists.
 * A store below the thresholds gets `not_enough_data` with its counts and the trending fallback.
 * The result is plain data, structured-cloneable.
 */
export async function trainFromLog({ log, products, listLength = LIST_LENGTH, thresholds = {} }: TrainInput): Promise<TrainOutcome> {
  const started = performance.now();
  const limits = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const holdouts = log.time.length ? protocolHoldouts(log) : undefined;
  const counts = countsOf(log, products, holdouts);
  const missed = missedThresholds(counts, limits);
  if (!holdouts || missed.length) {
    const full = log.time.length ? allData(log) : null;
    return {
      status: 'not_enough_data',
      counts,
      reasons: missed,
      lists: { trending: trendingList(full, products, listLength), popular: popularProducts(log), for_you: {}, product: {}, cart: {}, history: purchaseHistories(log) },
      vocabulary: full?.stockCodes ?? [],
      fitSeconds: seconds(started),
      peakRssBytes: processPeakRss(),
    };
  }

  // tfjs ops are synchronous only once a backend is ready: choose it before any blend fits.
  const { name: backend } = await chooseTfBackend();
  const { validation, test, windows } = holdouts;
  const split = seconds(started);

  let phase = performance.now();
  const judging = { validation, test, backend, fitted: new Map() };
  const forYou = judgePlacement(forYouBlend, [popularityModel, buyAgainModel], judging);
  const product = judgePlacement(productBlend, [basketPopularityModel, coOccurrenceModel], judging);
  const cart = judgePlacement(cartBlend, [basketPopularityModel, coOccurrenceModel], judging);
  const evaluate = seconds(phase);

  phase = performance.now();
  const full = allData(log);
  const refitted = <S>(blend: PlacementBlend<S>, choice: BlendChoice) => {
    const at = performance.now();
    return { scorer: blend.fit(full, choice), seconds: seconds(at) };
  };
  const forYouFinal = refitted(forYouBlend, forYou.choice);
  // The artifact: iALS on all data even where its weight is 0 (the blend's cache makes this the only iALS fit on `full`).
  const artifactStarted = performance.now();
  const ials = forYouBlend.ialsFactors(full, forYou.choice);
  const artifact = encodeIalsArtifact({ ...ials, customerIds: full.customerIds, stockCodes: full.stockCodes });
  forYouFinal.seconds += seconds(artifactStarted);
  const productFinal = refitted(productBlend, product.choice);
  const cartFinal = refitted(cartBlend, cart.choice);
  const [forYouScorer, productScorer, cartScorer] = [forYouFinal.scorer, productFinal.scorer, cartFinal.scorer];
  const refit = seconds(phase);

  phase = performance.now();
  const lists: ServingLists = {
    trending: trendingList(full, products, listLength),
    popular: popularProducts(log),
    for_you: {},
    product: {},
    cart: {},
    history: purchaseHistories(log),
  };
  const recommendUser = userRecommender(forYouScorer, full);
  full.customerIds.forEach((customer, u) => {
    lists.for_you[customer] = codesOf(full, recommendUser(u, { excludeBought: false, k: listLength }));
  });
  const recommendProduct = itemRecommender(productScorer, full);
  const recommendCart = itemRecommender(cartScorer, full);
  full.stockCodes.forEach((code, i) => {
    lists.product[code] = codesOf(full, recommendProduct(i, listLength));
    lists.cart[code] = codesOf(full, recommendCart(i, listLength));
  });
  for (const [code, list] of coldProductLists(full, products, listLength)) {
    if (lists.product[code]) continue;
    lists.product[code] = list;
    lists.cart[code] = list;
  }
  const listSeconds = seconds(phase);

  return {
    status: 'trained',
    counts,
    windows,
    backend,
    choices: { for_you: forYou.choice, product: product.choice, cart: cart.choice },
    metrics: { for_you: forYou.metrics, product: product.metrics, cart: cart.metrics },
    lists,
    vocabulary: full.stockCodes,
    artifact,
    fitSeconds: seconds(started),
    peakRssBytes: processPeakRss(),
    phases: {
      split,
      evaluate,
      refit,
      lists: listSeconds,
      placements: {
        // for_you's refit includes iALS on all data and encoding the artifact.
        for_you: { tune: forYou.tuneSeconds, fit: forYou.fitSeconds, refit: forYouFinal.seconds },
        product: { tune: product.tuneSeconds, fit: product.fitSeconds, refit: productFinal.seconds },
        cart: { tune: cart.tuneSeconds, fit: cart.fitSeconds, refit: cartFinal.seconds },
      },
    },
  };
}
