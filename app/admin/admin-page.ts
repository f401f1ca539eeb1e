import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import type { Db } from '../../shared/db';
import { AUTH_PATH, type Shopify } from '../shopify/app';
import { LOCAL_SESSION_PATH } from './local-session';

export const ADMIN_PATH = '/admin';
export const ADMIN_ASSETS_PATH = '/admin/assets';
export const APP_BRIDGE_SCRIPT = 'https://cdn.shopify.com/shopifycloud/app-bridge.js';

const UI_DIR = path.join(__dirname, 'ui');

export interface AdminPageDeps {
  shopify: Shopify;
  db: Db;
  /** Standalone pages may fetch tokens from POST /admin/local-session (ADMIN_LOCAL_SESSION). */
  localSession: boolean;
}

/** What the page's script is told by the server, as JSON in the page. */
export interface AdminPageSettings {
  shop: string;
  embedded: boolean;
  /** Where a standalone page gets its session tokens, or null when it cannot. */
  localSessionUrl: string | null;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a script element: `<` escaped so no `</script>` can close it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function appBridgeHead(apiKey: string): string {
  return `<meta name="shopify-api-key" content="${escapeHtml(apiKey)}">\n<script src="${APP_BRIDGE_SCRIPT}"></script>`;
}

/**
 * The page may be framed only by the shop's admin (Shopify's requirement for embedded apps).
 * Standalone, it loads nothing from outside this origin. Embedded, App Bridge (Shopify's script)
 * talks to Shopify's hosts as it needs, which this app does not pin down: only framing, plugins and
 * the base URL are restricted there.
 */
function contentSecurityPolicy(shop: string, embedded: boolean): string {
  const always = [`frame-ancestors https://${shop} https://admin.shopify.com`, "object-src 'none'", "base-uri 'none'"];
  // Scripts only from this app and App Bridge's CDN, even embedded (the printable statement opens
  // from a blob: URL under this page's policy).
  if (embedded) return [...always, "script-src 'self' https://cdn.shopify.com"].join('; ');
  return [
    ...always,
    "default-src 'self'",
    "script-src 'self'",
    // The printable statement is opened from a blob: URL and carries its own print styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
  ].join('; ');
}

/**
 * The embedded admin page (reports and campaign management) at `/?shop=…` (the app URL Shopify
 * opens in its iframe) and `/admin?shop=…` (standalone in the demo), and its static assets.
 * Embedded, the page loads App Bridge and takes a session token per API call; standalone, it
 * asks POST /admin/local-session, when that is on. A shop without an active install is sent into
 * OAuth (from inside the iframe, by App Bridge opening the top window, as OAuth cannot be framed).
 */
export function adminPageRouter(deps: AdminPageDeps): Router {
  const template = readFileSync(path.join(UI_DIR, 'index.html'), 'utf8');
  const exitTemplate = readFileSync(path.join(UI_DIR, 'exit-iframe.html'), 'utf8');
  const apiKey = deps.shopify.api.config.apiKey;
  const appUrl = deps.shopify.api.config.hostScheme + '://' + deps.shopify.api.config.hostName;

  const installed = async (shop: string) =>
    (await deps.db.selectFrom('shops').select('domain').where('domain', '=', shop).where('active', '=', true).executeTakeFirst()) !== undefined;

  const page = async (req: Request, res: Response, shop: string) => {
    const embedded = typeof req.query.host === 'string' && req.query.host !== '';
    res.set('Content-Security-Policy', contentSecurityPolicy(shop, embedded));
    res.set('Cache-Control', 'no-store');
    if (!(await installed(shop))) {
      const authUrl = `${appUrl}${AUTH_PATH}?shop=${encodeURIComponent(shop)}`;
      if (req.query.embedded === '1' || embedded) {
        res.type('html').send(exitTemplate.replace('{{appBridge}}', appBridgeHead(apiKey)).replace('{{redirect}}', escapeHtml(authUrl)));
      } else {
        res.redirect(302, `${AUTH_PATH}?shop=${encodeURIComponent(shop)}`);
      }
      return;
    }
    const settings: AdminPageSettings = { shop, embedded, localSessionUrl: !embedded && deps.localSession ? `${LOCAL_SESSION_PATH}?shop=${encodeURIComponent(shop)}` : null };
    const html = template
      .replace('{{appBridge}}', embedded ? appBridgeHead(apiKey) : '')
      .replace('{{settings}}', scriptJson(settings))
      .replace('{{shop}}', escapeHtml(shop));
    res.type('html').send(html);
  };

  const shopOf = (req: Request) => deps.shopify.api.utils.sanitizeShop(typeof req.query.shop === 'string' ? req.query.shop : '');

  const router = express.Router();
  router.use(ADMIN_ASSETS_PATH, express.static(path.join(UI_DIR, 'assets'), { index: false, fallthrough: true, maxAge: 0 }));
  router.get('/', async (req, res, next) => {
    const shop = shopOf(req);
    // Without a shop, `/` is not the admin (webhooks, health checks and probes land elsewhere).
    if (!shop) return next();
    await page(req, res, shop);
  });
  router.get(ADMIN_PATH, async (req, res) => {
    const shop = shopOf(req);
    if (!shop) {
      res.status(400).type('text').send('Open Shelfwise from your Shopify admin, or add ?shop=<your-shop>.myshopify.com');
      return;
    }
    await page(req, res, shop);
  });
  return router;
}
