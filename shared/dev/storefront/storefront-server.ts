import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { appProxy, type ProxiedRequest } from './app-proxy';
import { cartRoutes, cartToken } from './cart-routes';
import { CartStore } from './cart-store';
import { checkoutRoutes, type PlacedOrder } from './checkout-routes';
import { createThemeEngine } from './liquid-engine';
import { orderObject, pageGlobals, productObject } from './liquid-objects';
import { createOrderWebhookSender } from './order-webhook';
import { listenPreferring } from './preferred-port';
import { productImageSvg } from './product-image';
import { StorefrontCatalog, type StorefrontProduct, type StorefrontShop } from './storefront-catalog';
import { loadThemeExtension, themeBlock } from './theme-extension';
import { renderThemePage } from './theme-page';

const THEME_DIR = path.join(__dirname, 'theme');
const ASSET_BASE = '/cdn/extensions/shelfwise/assets';
const PROXY_PREFIX = '/apps/shelfwise';
/** Products the home page lists. */
const HOME_PRODUCTS = 24;

export interface StorefrontOptions {
  /** The theme app extension: `extensions/shelfwise`. */
  extensionDir: string;
  shop: StorefrontShop;
  products: readonly StorefrontProduct[];
  /**
   * The app behind the proxy: its `/proxy` URL and the secret Shopify signs with; with
   * `webhooksUrl` (its `POST /webhooks`) the cart's "Check out" sends the order there as a signed
   * orders/create (X-Shopify-API-Version `apiVersion`, default 2026-07).
   */
  app: { proxyUrl: string; secret: string; webhooksUrl?: string; apiVersion?: string };
  /** Block handles (file names in `blocks/`) the merchant placed on each template, and the embeds switched on. */
  layout: { product: readonly string[]; cart: readonly string[]; embeds: readonly string[] };
  /** Port to listen on (127.0.0.1); a busy one falls back to a free port. Default: any free port. */
  port?: number;
  /**
   * Minimum height of a product's description in px. Default 1600: the blocks start below the
   * fold, as on a real product page with a long description (the lazy-loading tests need it).
   */
  descriptionMinHeightPx?: number;
  /** Keep every proxied request in `proxied` (tests read them). Default true; a long-running demo turns it off. */
  keepProxied?: boolean;
  /** Epoch ms: signatures and orders are dated by it. Default `Date.now`. */
  now?: () => number;
}

export interface Storefront {
  url: string;
  catalog: StorefrontCatalog;
  carts: CartStore;
  /** Every request the app proxy forwarded, oldest first (empty with `keepProxied: false`). */
  proxied: ProxiedRequest[];
  /** Every completed checkout, oldest first: the order sent and the app's answer. */
  orders: PlacedOrder[];
  /** Liquid render errors and missing translations, by page path: a test expects none. */
  problems: string[];
  close(): Promise<void>;
}

type Template = 'index' | 'product' | 'cart' | 'order';

/**
 * A Shopify storefront in miniature on 127.0.0.1: home, product and cart pages rendered with
 * liquidjs from a small theme and the extension's blocks, the Ajax cart, a checkout that sends the
 * order to the app as Shopify's signed webhook, the app proxy to the app, the extension's assets
 * and product images.
 */
export async function startStorefront(options: StorefrontOptions): Promise<Storefront> {
  const now = options.now ?? Date.now;
  const server = http.createServer();
  await listenPreferring(server, options.port ?? 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Protocol-relative, as Shopify's CDN image URLs are in Liquid and in the catalog the app stores.
  const catalog = new StorefrontCatalog(options.products, (p) => `//${new URL(url).host}/cdn/images/${p.handle}.svg`);
  const carts = new CartStore(catalog, options.shop.currency);
  const proxied: ProxiedRequest[] = [];
  const orders: PlacedOrder[] = [];
  const problems: string[] = [];
  const webhooks = options.app.webhooksUrl
    ? createOrderWebhookSender({ webhooksUrl: options.app.webhooksUrl, secret: options.app.secret, apiVersion: options.app.apiVersion ?? '2026-07', shop: options.shop.domain })
    : null;
  const settings = { description_min_height: options.descriptionMinHeightPx ?? 1600 };

  const renderPage = async (req: express.Request, res: express.Response, template: Template, title: string, own: Record<string, unknown> = {}) => {
    // Read per request: the extension's files are the source of truth, as on an upload.
    const extension = loadThemeExtension(options.extensionDir);
    const engine = createThemeEngine({ locale: extension.locale, assetBase: ASSET_BASE, shop: options.shop, partials: [path.join(options.extensionDir, 'snippets'), THEME_DIR] });
    const token = cartToken(req, res, carts);
    carts.landed(token, req.originalUrl);
    const globals = pageGlobals({ shop: options.shop, url, pageType: template, path: req.path, cart: carts.cart(token), catalog, settings });
    const placed = template === 'product' || template === 'cart' ? options.layout[template] : [];
    const html = await renderThemePage(engine, {
      template,
      title,
      globals: { ...globals, ...own },
      blocks: placed.map((h) => themeBlock(extension, h)),
      // The order's thank-you page is Shopify's checkout, where theme app embeds do not run.
      embeds: template === 'order' ? [] : options.layout.embeds.map((h) => themeBlock(extension, h)),
      assetUrl: (file) => `${ASSET_BASE}/${file}`,
      shopify: { shop: options.shop.domain, currency: options.shop.currency },
    });
    // Shopify prints missing translations into the page; here they are findings.
    for (const missing of html.match(/Translation missing: [\w.]+/g) ?? []) problems.push(`${req.path}: ${missing}`);
    res.type('html').send(html);
  };

  const app = express();
  app.disable('x-powered-by');
  app.get('/', (req, res) => {
    const listed = catalog.products.filter((p) => p.status !== 'draft').slice(0, HOME_PRODUCTS);
    return renderPage(req, res, 'index', options.shop.name, { products: listed.map((p) => productObject(p, catalog)) });
  });
  app.get('/products/:handle', async (req, res) => {
    const product = catalog.withHandle(req.params.handle);
    if (!product || product.status === 'draft') res.status(404).type('text').send('Not found');
    else await renderPage(req, res, 'product', product.title, { product: productObject(product, catalog) });
  });
  app.get('/cart', (req, res) => renderPage(req, res, 'cart', 'Your cart'));
  app.use(checkoutRoutes({ carts, webhooks, placed: orders, now }));
  app.get('/checkouts/:checkout/thank-you', async (req, res) => {
    const placed = orders.find((o) => o.checkoutId === req.params.checkout);
    if (!placed) res.status(404).type('text').send('Not found');
    else await renderPage(req, res, 'order', `Order ${placed.order.name} confirmed`, { order: orderObject(placed.order, catalog) });
  });
  app.use(cartRoutes(carts));
  const log = options.keepProxied === false ? undefined : proxied;
  app.all(`${PROXY_PREFIX}/*path`, appProxy({ appProxyUrl: options.app.proxyUrl, secret: options.app.secret, shop: options.shop.domain, pathPrefix: PROXY_PREFIX, log, now }));
  app.use(ASSET_BASE, express.static(path.join(options.extensionDir, 'assets'), { fallthrough: false }));
  app.get('/cdn/images/:file', (req, res) => {
    const product = catalog.withHandle(req.params.file.replace(/\.svg$/, ''));
    if (!product) res.status(404).end();
    else res.type('image/svg+xml').send(productImageSvg(product.title, (Number(product.id) * 47) % 360));
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.use((error: Error, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // A render error is the test's finding: kept for the test and shown on the page.
    problems.push(`${req.path}: ${error.message}`);
    res.status(500).type('text').send(`Storefront error: ${error.message}`);
  });
  server.on('request', app);

  return {
    url,
    catalog,
    carts,
    proxied,
    orders,
    problems,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      webhooks?.close();
    },
  };
}
