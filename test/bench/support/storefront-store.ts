// A synthetic store for the storefront benchmark: products with vendors, types, tags, variants,
// collections and merchant rules in the database, and one published version of serving lists
// in Redis, all from one seed so every run serves the same store.
import { customerPseudonym } from '../../../shared/crypto';
import type { Db } from '../../../shared/db';
import type { Redis } from '../../../shared/redis';
import { addMerchantRule } from '../../../shared/storefront';
import { upsertProduct, type ProductRecord } from '../../../worker/store';
import { switchServing, writeVersionLists } from '../../../worker/train/publish';
import type { ServingLists } from '../../../worker/train/train-from-log';

/** Deterministic 32-bit generator (mulberry32): same seed, same store. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VENDORS = 40;
const TYPES = ['Mug', 'Teapot', 'Apron', 'Board', 'Bowl', 'Candle', 'Lamp', 'Vase', 'Rug', 'Basket', 'Towel', 'Jug', 'Plate', 'Tray', 'Clock', 'Frame', 'Cushion', 'Throw', 'Planter', 'Knife', 'Spoon', 'Glass', 'Carafe', 'Stool', 'Hook'];
const ADJECTIVES = ['Enamel', 'Linen', 'Oak', 'Stoneware', 'Copper', 'Walnut', 'Glazed', 'Woven', 'Brass', 'Marble', 'Rattan', 'Cotton'];
const TAGS = Array.from({ length: 60 }, (_, i) => `tag-${i}`);
const COLLECTIONS = 30;
/** Entries per published list, as training publishes them (PUBLISHED_LIST_LENGTH). */
export const LIST_LENGTH = 20;

export interface SyntheticStore {
  shop: string;
  /** Every product id, in creation order. */
  productIds: string[];
  /** Active, published and available: what a storefront page can show and a cart can hold. */
  servableIds: string[];
  unavailable: number;
  unpublished: number;
  /** Shopify customer ids with a `for_you` list (logged-in customers). */
  customerIds: string[];
  version: string;
}

/** Picks from `items` with weight 1/(rank+1)^s: a few best sellers, a long tail. */
export function zipfPicker<T>(items: T[], random: () => number, s = 0.9): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < items.length; i++) cumulative.push((total += 1 / Math.pow(i + 1, s)));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

function syntheticProduct(shop: string, index: number, random: () => number): ProductRecord & { unavailable: boolean; unpublished: boolean } {
  const id = String(7_000_001 + index);
  const vendor = `Vendor ${String(Math.floor(Math.pow(random(), 1.6) * VENDORS) + 1).padStart(2, '0')}`;
  const type = TYPES[Math.floor(random() * TYPES.length)]!;
  const title = `${ADJECTIVES[Math.floor(random() * ADJECTIVES.length)]} ${type} ${index + 1}`;
  const tags = [...new Set(Array.from({ length: 2 + Math.floor(random() * 4) }, () => TAGS[Math.floor(random() * TAGS.length)]!))];
  // About 8 % sold out (every variant tracked, denied when out of stock), 4 % not on the online store.
  const unavailable = random() < 0.08;
  const draw = random();
  const unpublished = draw < 0.04;
  const variants = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, v) => ({
    id: String(80_000_001 + index * 4 + v),
    title: v === 0 ? 'Default Title' : `Option ${v + 1}`,
    sku: `SKU-${index}-${v}`,
    price: (5 + Math.floor(random() * 9500) / 100).toFixed(2),
    compareAtPrice: random() < 0.2 ? '120.00' : null,
    inventoryQuantity: unavailable ? 0 : Math.floor(random() * 40),
    inventoryPolicy: unavailable ? 'deny' : random() < 0.1 ? 'continue' : 'deny',
    inventoryManagement: 'shopify',
    position: v + 1,
  }));
  // A product with no stock left but "continue" selling stays available; keep the flag honest.
  if (!unavailable) for (const v of variants) if (v.inventoryQuantity === 0) v.inventoryPolicy = 'continue';
  return {
    shop,
    id,
    title,
    handle: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    vendor,
    productType: type,
    tags,
    status: unpublished && draw < 0.02 ? 'draft' : 'active',
    publishedAt: unpublished ? null : new Date(Date.UTC(2025, 0, 1) + index * 3_600_000),
    bodyText: `${title} by ${vendor}. ${tags.join(', ')}.`,
    imageUrl: `https://cdn.example/${id}.jpg`,
    updatedAt: new Date(Date.UTC(2025, 0, 1) + index * 3_600_000),
    variants,
    unavailable,
    unpublished,
  };
}

/** Distinct picks, never `exclude`: one published list. */
function list(pick: () => string, exclude: string | null, length = LIST_LENGTH): string[] {
  const out = new Set<string>();
  for (let guard = 0; out.size < length && guard < length * 20; guard++) {
    const id = pick();
    if (id !== exclude) out.add(id);
  }
  return [...out];
}

export interface SeedOptions {
  db: Db;
  redis: Redis;
  /** QUEUE_PREFIX of the web process. */
  prefix: string;
  shop: string;
  /** CUSTOMER_ID_KEY of the web process: keys the `for_you` lists. */
  customerIdKey: string;
  products: number;
  customers: number;
  seed?: number;
  /** Products written at once (1 on PGlite: one connection). */
  concurrency: number;
}

/**
 * Writes the catalog through the store's own writer (so `available`, `min_price` and the text
 * columns are what the app computes), collections and a few merchant rules, then publishes one
 * version of lists: 20 per product (`product`, `cart`), 20 per customer (`for_you`), the
 * customer's purchase history, `trending` and `popular` — and switches the storefront to it.
 * The lists include some unavailable and unpublished products, as lists trained last night do.
 */
export async function seedSyntheticStore(options: SeedOptions): Promise<SyntheticStore> {
  const { db, redis, prefix, shop } = options;
  const random = seededRandom(options.seed ?? 1);
  await db
    .insertInto('shops')
    .values({ domain: shop, active: true, currency: 'EUR', installed_at: new Date() })
    .onConflict((oc) => oc.column('domain').doNothing())
    .execute();

  const products = Array.from({ length: options.products }, (_, i) => syntheticProduct(shop, i, random));
  for (let i = 0; i < products.length; i += options.concurrency) {
    await Promise.all(products.slice(i, i + options.concurrency).map(({ unavailable: _u, unpublished: _p, ...record }) => upsertProduct(db, record)));
  }
  const memberships = products.flatMap((p) =>
    [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => 1 + Math.floor(random() * COLLECTIONS)))].map((c) => ({
      shop,
      product_id: p.id,
      collection_id: String(4_000_000 + c),
      collection_handle: `collection-${c}`,
    })),
  );
  for (let i = 0; i < memberships.length; i += 1000) {
    await db.insertInto('product_collections').values(memberships.slice(i, i + 1000)).onConflict((oc) => oc.doNothing()).execute();
  }
  // What a merchant typically sets: hide a clearance tag, lift a collection, pin a hero product.
  await addMerchantRule(db, shop, { kind: 'exclude', match: 'tag', value: 'tag-7' });
  await addMerchantRule(db, shop, { kind: 'boost', match: 'collection', value: 'collection-3', weight: 1.5 });
  await addMerchantRule(db, shop, { kind: 'exclude', match: 'vendor', value: 'Vendor 40', placement: 'cart' });

  const productIds = products.map((p) => p.id);
  const servableIds = products.filter((p) => !p.unavailable && !p.unpublished).map((p) => p.id);
  const popular = zipfPicker(productIds, random);
  const lists: ServingLists = { trending: list(popular, null), popular: list(popular, null), for_you: {}, product: {}, cart: {}, history: {} };
  for (const id of productIds) {
    lists.product[id] = list(popular, id);
    lists.cart[id] = list(popular, id);
  }
  const customerIds = Array.from({ length: options.customers }, (_, i) => String(900_000_001 + i));
  for (const customerId of customerIds) {
    const key = customerPseudonym(options.customerIdKey, shop, customerId);
    lists.for_you[key] = list(popular, null);
    lists.history![key] = list(popular, null, 5);
  }
  const version = 'bench1';
  await writeVersionLists({ redis, prefix, shop, version, lists, now: Date.now() });
  await switchServing({ redis, prefix, shop, version });
  return {
    shop,
    productIds,
    servableIds,
    unavailable: products.filter((p) => p.unavailable).length,
    unpublished: products.filter((p) => p.unpublished).length,
    customerIds,
    version,
  };
}
