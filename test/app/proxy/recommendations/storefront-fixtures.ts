import { startWebServer } from '../../../../app';
import type { Db } from '../../../../shared/db';
import type { Redis } from '../../../../shared/redis';
import type { Runtime } from '../../../../shared/runtime';
import { signProxyQuery } from '../../../../shared/shopify';
import { recommendationTokenKey } from '../../../../shared/tracking';
import { TEST_SECRET } from '../../../support/config';

export interface ProductSpec {
  id: string;
  title?: string;
  vendor?: string | null;
  product_type?: string | null;
  tags?: string[];
  status?: string;
  published_at?: string | null;
  available?: boolean;
  min_price?: string | null;
  image_url?: string | null;
  deleted_at?: string | null;
  handle?: string;
}

/** Products as the ingest worker stores them (the columns the storefront reads, the rest filled). */
export async function insertProducts(db: Db, shop: string, specs: ProductSpec[]): Promise<void> {
  if (!specs.length) return;
  await db
    .insertInto('products')
    .values(
      specs.map((p, i) => ({
        shop,
        id: p.id,
        title: p.title ?? `Product ${p.id}`,
        handle: p.handle ?? `product-${p.id}`,
        vendor: p.vendor === undefined ? `Vendor ${p.id}` : p.vendor,
        product_type: p.product_type ?? null,
        tags: JSON.stringify(p.tags ?? []),
        status: p.status ?? 'active',
        // Later ids are newer unless told otherwise.
        published_at: p.published_at === undefined ? new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() : p.published_at,
        body_text: '',
        search_text: '',
        image_url: p.image_url === undefined ? `https://cdn.example/${p.id}.jpg` : p.image_url,
        available: p.available ?? true,
        min_price: p.min_price === undefined ? '12.50' : p.min_price,
        updated_at: new Date().toISOString(),
        version_hash: `h${p.id}`,
        deleted_at: p.deleted_at ?? null,
      })),
    )
    .execute();
}

export async function insertShop(db: Db, shop: string, currency: string): Promise<void> {
  await db.insertInto('shops').values({ domain: shop, active: true, currency }).execute();
}

/**
 * The real web process (startWebServer) on a free port with a clock the test moves: the proxy's
 * signature check and the catalog cache both read it. `redis`: the storefront's connection (a test
 * may hand it a faulty one).
 */
export async function startProxyApp(runtime: Runtime, clock: { now: number }, options: { redis?: Redis } = {}): Promise<{ url: string; tokenKey: Buffer; close(): Promise<void> }> {
  const server = await startWebServer(runtime, { port: 0, now: () => clock.now, storefrontRedis: options.redis ?? runtime.redis });
  return { url: server.url, tokenKey: recommendationTokenKey(runtime.config.tokenEncryptionKey), close: server.close };
}

/** A storefront request as Shopify's app proxy forwards it: signed, with shop and timestamp. */
export async function proxyGet(
  url: string,
  {
    shop,
    params,
    nowMs,
    customer = '',
    secret = TEST_SECRET,
    path = 'recommendations',
    headers = {},
  }: { shop: string; params: Record<string, string>; nowMs: number; customer?: string; secret?: string; path?: 'recommendations' | 'sponsored'; headers?: Record<string, string> },
): Promise<{ status: number; type: string; text: string; json: () => unknown }> {
  const query = signProxyQuery([['shop', shop], ['logged_in_customer_id', customer], ['path_prefix', '/apps/shelfwise'], ...Object.entries(params)], secret, Math.floor(nowMs / 1000));
  const res = await fetch(`${url}/proxy/${path}?${query}`, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}

/** A product card of the recommendations (and sponsored) JSON answer (docs/storefront.md). */
export interface Card {
  id: string;
  handle: string;
  title: string;
  vendor: string | null;
  url: string;
  image: string | null;
  price_minor: number | null;
  currency: string | null;
  variant_id: string | null;
  reason: string;
  token: string;
  sponsored: boolean;
  /** Sponsored cards only. */
  campaign_id?: string;
}
export interface Answer {
  placement: string;
  impression_id: string;
  model_version: string | null;
  source: string;
  products: Card[];
}
