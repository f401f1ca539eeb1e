import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { Db } from '../../db';
import type { Redis } from '../../redis';
import { signProxyQuery } from '../../shopify';
import { showcaseProduct } from './showcase-product';
import { loadStoreCatalog } from './store-catalog';
import { startStorefront, type Storefront } from './storefront-server';
import type { StorefrontProduct } from './storefront-catalog';

/**
 * Where a showcase question comes from: a random address in 198.19.0.0/16 (198.18.0.0/15 is set
 * aside for benchmarking, never a shopper's), a new one each time, so no question meets a cap.
 */
const probeAddress = () => `198.19.${randomInt(256)}.${randomInt(1, 255)}`;

/** The theme app extension this repository ships. */
const EXTENSION_DIR = path.resolve(__dirname, '..', '..', '..', 'extensions', 'shelfwise');

/**
 * The theme as a merchant sets it up: on the product page every block that may go there, on the
 * cart page the cart upsell, and the tracking embed switched on.
 */
export const DEV_LAYOUT = {
  product: ['related-products', 'frequently-bought-together', 'recommended-for-you', 'sponsored-products'],
  cart: ['cart-upsell'],
  embeds: ['tracking'],
} as const;

export interface DevStorefrontOptions {
  db: Db;
  redis: Redis;
  /** QUEUE_PREFIX: where the serving lists are. */
  prefix: string;
  shop: string;
  /** The running web process: the app proxy goes to `<appUrl>/proxy`, orders to `<appUrl>/webhooks`. */
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  /** Preferred port (a busy one falls back to a free port). */
  port: number;
}

export interface DevStorefront {
  storefront: Storefront;
  /** The product page to open first: a best seller with a published list (undefined: empty catalog). */
  showcase: StorefrontProduct | undefined;
  close(): Promise<void>;
}

/**
 * The development shop's storefront (shared/dev/storefront) on this machine: its catalog read from
 * the app's database, the extension's blocks placed (DEV_LAYOUT), the app proxy and checkout wired
 * to the running app, so a shopper can browse, click a recommendation, add it and check out.
 */
export async function startDevStorefront(options: DevStorefrontOptions): Promise<DevStorefront> {
  const { shop, products } = await loadStoreCatalog(options.db, options.shop, 'Shelfwise demo store');
  const storefront = await startStorefront({
    extensionDir: EXTENSION_DIR,
    shop,
    products,
    app: { proxyUrl: `${options.appUrl}/proxy`, secret: options.apiSecret, webhooksUrl: `${options.appUrl}/webhooks`, apiVersion: options.apiVersion },
    layout: DEV_LAYOUT,
    port: options.port,
    descriptionMinHeightPx: 0,
    keepProxied: false,
  });
  // Asked of the app's proxy endpoint signed as Shopify signs it, as the Sponsored products block
  // asks, but from addresses of its own: each answer counts against the asking address's daily
  // frequency cap, and the shopper on 127.0.0.1 needs theirs.
  const sponsoredCount = async (product: StorefrontProduct) => {
    const params: Array<[string, string]> = [['placement', 'related'], ['product_id', product.id], ['limit', '4'], ['shop', options.shop], ['logged_in_customer_id', ''], ['path_prefix', '/apps/shelfwise']];
    const query = signProxyQuery(params, options.apiSecret, Math.floor(Date.now() / 1000));
    const answer = await fetch(`${options.appUrl}/proxy/sponsored?${query}`, { headers: { 'x-forwarded-for': probeAddress(), 'user-agent': 'shelfwise-demo' } });
    return answer.ok ? (((await answer.json()) as { products?: unknown[] }).products?.length ?? 0) : 0;
  };
  try {
    const showcase = await showcaseProduct({ redis: options.redis, prefix: options.prefix, shop: options.shop, sponsoredCount }, products);
    return { storefront, showcase, close: () => storefront.close() };
  } catch (error) {
    await storefront.close();
    throw error;
  }
}
