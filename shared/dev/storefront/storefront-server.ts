import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { appProxy, type ProxiedRequest } from './app-proxy';
import { cartRoutes, cartToken } from './cart-routes';
import { CartStore } from './cart-store';
import { createThemeEngine } from './liquid-engine';
import { pageGlobals, productObject } from './liquid-objects';
import { productImageSvg } from './product-image';
import { StorefrontCatalog, type StorefrontProduct, type StorefrontShop } from './storefront-catalog';
import { loadThemeExtension, themeBlock } from './theme-extension';
import { renderThemePage } from './theme-page';

const THEME_DIR = path.join(__dirname, 'theme');
const ASSET_BASE = '/cdn/extensions/shelfwise/assets';
const PROXY_PREFIX = '/apps/shelfwise';

export interface StorefrontOptions {
  /** The theme app extension: `extensions/shelfwise`. */
  extensionDir: string;
  shop: StorefrontShop;
  products: readonly StorefrontProduct[];
  /** The app behind the proxy: its `/proxy` URL and the secret Shopify signs with. */
  app: { proxyUrl: string; secret: string };
  /** Block handles (file names in `blocks/`) the merchant placed on each template, and the embeds switched on. */
  layout: { product: readonly string[]; cart: readonly string[]; embeds: readonly string[] };
}

export interface Storefront {
  url: string;
  catalog: StorefrontCatalog;
  carts: CartStore;
  /** Every request the app proxy forwarded, oldest first. */
  proxied: ProxiedRequest[];
  /** Liquid render errors and missing translations, by page path: a test expects none. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A Shopify storefront in miniature on 127.0.0.1: product and cart pages rendered with liquidjs
 * from a small theme and the extension's blocks, the Ajax cart, the app proxy to the app, the
 * extension's assets and product images.
 */
export async function startStorefront(options: StorefrontOptions): Promise<Storefront> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Protocol-relative, as Shopify's CDN image URLs are in Liquid and in the catalog the app stores.
  const catalog = new StorefrontCatalog(options.products, (p) => `//${new URL(url).host}/cdn/images/${p.handle}.svg`);
  const carts = new CartStore(catalog, options.shop.currency);
  const proxied: ProxiedRequest[] = [];
  const problems: string[] = [];

  const renderPage = async (req: express.Request, res: express.Response, template: 'product' | 'cart', product?: StorefrontProduct) => {
    // Read per request: the extension's files are the source of truth, as on an upload.
    const extension = loadThemeExtension(options.extensionDir);
    const engine = createThemeEngine({ locale: extension.locale, assetBase: ASSET_BASE, shop: options.shop, partials: [path.join(options.extensionDir, 'snippets'), THEME_DIR] });
    const globals = pageGlobals({ shop: options.shop, url, pageType: template, path: req.path, cart: carts.cart(cartToken(req, res, carts)), catalog });
    const html = await renderThemePage(engine, {
      template,
      title: product?.title ?? 'Your cart',
      globals: product ? { ...globals, product: productObject(product, catalog) } : globals,
      blocks: options.layout[template].map((h) => themeBlock(extension, h)),
      embeds: options.layout.embeds.map((h) => themeBlock(extension, h)),
      assetUrl: (file) => `${ASSET_BASE}/${file}`,
      shopify: { shop: options.shop.domain, currency: options.shop.currency },
    });
    // Shopify prints missing translations into the page; here they are findings.
    for (const missing of html.match(/Translation missing: [\w.]+/g) ?? []) problems.push(`${req.path}: ${missing}`);
    res.type('html').send(html);
  };

  const app = express();
  app.disable('x-powered-by');
  app.get('/products/:handle', async (req, res) => {
    const product = catalog.withHandle(req.params.handle);
    if (!product || product.status === 'draft') res.status(404).type('text').send('Not found');
    else await renderPage(req, res, 'product', product);
  });
  app.get('/cart', (req, res) => renderPage(req, res, 'cart'));
  app.use(cartRoutes(carts));
  app.all(`${PROXY_PREFIX}/*path`, appProxy({ appProxyUrl: options.app.proxyUrl, secret: options.app.secret, shop: options.shop.domain, pathPrefix: PROXY_PREFIX, log: proxied }));
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
    problems,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
