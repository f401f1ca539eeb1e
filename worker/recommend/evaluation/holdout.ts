import type { PurchaseLog } from './purchase-log';
import { seededRandom } from './seeded-random';
import { sparseFromRows, type SparseMatrix } from './sparse-matrix';

/** What a model may learn from: the interactions and baskets at or before the cutoff. */
export interface TrainingSet {
  /** Catalog index → stock code. The catalog is every item a customer bought in training. */
  stockCodes: string[];
  /** User index → customer id: every customer with a training interaction. */
  customerIds: string[];
  /** users × catalog; value = interaction strength, the number of distinct invoices. */
  interactions: SparseMatrix;
  /** baskets × catalog, value 1: every training invoice, guest or not, restricted to the catalog. */
  baskets: SparseMatrix;
  /** Training is every row at or before this wall-clock second: "now" for recency and trends. */
  cutoff: number;
  /** Aligned with `interactions.indices`: the wall-clock second of the user's latest purchase of the item. */
  lastPurchase: Float64Array;
  /** Per basket row: the invoice's wall-clock second. */
  basketTime: Float64Array;
  /** Per catalog item: its product text (title/description; '' when unknown). */
  itemText: string[];
}

/** One user query: the user's index in the training set and the catalog items to find. */
export interface UserQuery {
  user: number;
  truth: Int32Array;
}

/** One `fbt-30d` query: the drawn anchor and the rest of its basket. */
export interface BasketQuery {
  anchor: number;
  truth: Int32Array;
}

export interface Holdout {
  training: TrainingSet;
  /** `next-30d-new`: users who bought a catalog item new to them; truth = those items. */
  newItemQueries: UserQuery[];
  /** `next-30d-all`: users who bought any catalog item; truth = all of them. */
  allItemQueries: UserQuery[];
  /** `fbt-30d`: one per window basket with at least two catalog items. */
  basketQueries: BasketQuery[];
}

export interface HoldoutOptions {
  /** Training is every row with time <= cutoff (wall-clock seconds). */
  cutoff: number;
  /** The scored window is (cutoff, windowEnd]. */
  windowEnd: number;
  /** Seed of the anchor draw. */
  seed: number;
}

function indexOf(map: Map<number, number>, key: number): number {
  let id = map.get(key);
  if (id === undefined) {
    id = map.size;
    map.set(key, id);
  }
  return id;
}

/**
 * Splits a purchase log at `cutoff` into training data and the three protocols' queries for the
 * window after it. Users and catalog items are numbered in order of first appearance, test users
 * are listed by that index and baskets by first appearance, so the anchor draw is reproducible.
 */
export function buildHoldout(log: PurchaseLog, { cutoff, windowEnd, seed }: HoldoutOptions): Holdout {
  const rows = log.time.length;
  const catalog = new Map<number, number>(); // log item → catalog index
  const users = new Map<number, number>(); // log customer → user index
  for (let r = 0; r < rows; r++) {
    if (log.time[r]! > cutoff || log.customer[r]! < 0) continue;
    indexOf(catalog, log.item[r]!);
    indexOf(users, log.customer[r]!);
  }

  // Strength = distinct invoices: count each (invoice, item) once. An invoice has one customer.
  const userRows: Map<number, number>[] = Array.from({ length: users.size }, () => new Map());
  const userLast: Map<number, number>[] = Array.from({ length: users.size }, () => new Map());
  const basketIds = new Map<number, number>();
  const basketRows: Map<number, number>[] = [];
  const basketTimes: number[] = [];
  const seenLine = new Set<number>();
  const itemSpace = log.stockCodes.length;
  for (let r = 0; r < rows; r++) {
    if (log.time[r]! > cutoff) continue;
    const item = catalog.get(log.item[r]!);
    if (item === undefined) continue;
    const key = log.invoice[r]! * itemSpace + log.item[r]!;
    if (seenLine.has(key)) continue;
    seenLine.add(key);
    const basket = indexOf(basketIds, log.invoice[r]!);
    if (basket === basketRows.length) {
      basketRows.push(new Map());
      basketTimes.push(log.time[r]!);
    }
    basketRows[basket]!.set(item, 1);
    const customer = log.customer[r]!;
    if (customer >= 0) {
      const user = users.get(customer)!;
      const row = userRows[user]!;
      row.set(item, (row.get(item) ?? 0) + 1);
      const last = userLast[user]!;
      if (!(last.get(item)! >= log.time[r]!)) last.set(item, log.time[r]!);
    }
  }

  const windowItems: Set<number>[] = Array.from({ length: users.size }, () => new Set());
  const windowBaskets = new Map<number, Set<number>>();
  for (let r = 0; r < rows; r++) {
    const t = log.time[r]!;
    if (t <= cutoff || t > windowEnd) continue;
    const item = catalog.get(log.item[r]!);
    if (item === undefined) continue;
    let basket = windowBaskets.get(log.invoice[r]!);
    if (!basket) windowBaskets.set(log.invoice[r]!, (basket = new Set()));
    basket.add(item);
    const user = log.customer[r]! >= 0 ? users.get(log.customer[r]!) : undefined;
    if (user !== undefined) windowItems[user]!.add(item);
  }

  const newItemQueries: UserQuery[] = [];
  const allItemQueries: UserQuery[] = [];
  windowItems.forEach((items, user) => {
    if (!items.size) return;
    allItemQueries.push({ user, truth: Int32Array.from(items) });
    const fresh = [...items].filter((i) => !userRows[user]!.has(i));
    if (fresh.length) newItemQueries.push({ user, truth: Int32Array.from(fresh) });
  });

  const random = seededRandom(seed);
  const basketQueries: BasketQuery[] = [];
  for (const basket of windowBaskets.values()) {
    if (basket.size < 2) continue;
    const items = [...basket];
    const at = Math.floor(random() * items.length);
    basketQueries.push({ anchor: items[at]!, truth: Int32Array.from(items.filter((_, k) => k !== at)) });
  }

  const catalogCodes: string[] = new Array(catalog.size);
  for (const [logItem, index] of catalog) catalogCodes[index] = log.stockCodes[logItem]!;
  const customerIds: string[] = new Array(users.size);
  for (const [logCustomer, index] of users) customerIds[index] = log.customerIds[logCustomer]!;
  const interactions = sparseFromRows(userRows, catalog.size);
  const lastPurchase = new Float64Array(interactions.indices.length);
  for (let u = 0; u < interactions.rows; u++) {
    for (let p = interactions.indptr[u]!; p < interactions.indptr[u + 1]!; p++) lastPurchase[p] = userLast[u]!.get(interactions.indices[p]!)!;
  }
  const itemText: string[] = new Array(catalog.size);
  for (const [logItem, index] of catalog) itemText[index] = log.descriptions?.[logItem] ?? '';
  return {
    training: {
      stockCodes: catalogCodes,
      customerIds,
      interactions,
      baskets: sparseFromRows(basketRows, catalog.size),
      cutoff,
      lastPurchase,
      basketTime: Float64Array.from(basketTimes),
      itemText,
    },
    newItemQueries,
    allItemQueries,
    basketQueries,
  };
}
