import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { answerGraphql } from './admin-graphql';
import { deliverWebhook } from './webhook-delivery';
import { signAdminQuery } from './signing';
import { StandinState, type BulkOperationRecord, type StandinShop } from './state';

export interface ShopifyStandinOptions {
  /** The app's secret: signs OAuth redirects and webhooks, checked on the token exchange. */
  apiSecret: string;
  /** The app's client id; when set, /admin/oauth/authorize refuses any other. */
  apiKey?: string;
  /** Start from this state (shops, products, orders) instead of an empty one. */
  state?: StandinState;
  /** Port to listen on, on 127.0.0.1. Default 0: any free port. */
  port?: number;
  /** Looks at a bulk operation it takes to complete it (CREATED → RUNNING → COMPLETED). Default 2. */
  pollsUntilComplete?: number;
  /** Clock for timestamps. Default: the system clock. */
  now?: () => Date;
}

export interface ShopifyStandin {
  /** Origin to use as SHOPIFY_ADMIN_API_ORIGIN, e.g. http://127.0.0.1:41234. */
  url: string;
  state: StandinState;
  /** The merchant uninstalls: tokens revoked, subscriptions dropped, app/uninstalled delivered. */
  uninstall(shop: string): Promise<void>;
  close(): Promise<void>;
}

/** Shopify's answer to a missing or revoked token, status 401. */
const INVALID_TOKEN = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

/**
 * The app reaches Shopify at https://{shop}/…; routed here, the shop travels in
 * X-Forwarded-Host (see shared/shopify/route-admin-api.ts). A bare Host that is a shop domain works too.
 */
function requestedShop(req: Request): string | undefined {
  const forwarded = req.get('x-forwarded-host');
  if (forwarded) return forwarded.split(',')[0]!.trim().toLowerCase();
  const host = req.get('host')?.toLowerCase();
  return host?.endsWith('.myshopify.com') ? host : undefined;
}

/**
 * A local stand-in for the Shopify endpoints the app calls: OAuth authorize and token
 * exchange, and the Admin GraphQL API (shop, webhook subscriptions, bulk operations with
 * their JSONL results). It follows Shopify's documented shapes so the app's own code paths,
 * including @shopify/shopify-api, run unchanged against it.
 */
export async function startShopifyStandin(options: ShopifyStandinOptions): Promise<ShopifyStandin> {
  const state = options.state ?? new StandinState();
  const now = options.now ?? (() => new Date());
  const pollsUntilComplete = options.pollsUntilComplete ?? 2;
  let origin = '';
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const app = express();
  app.disable('x-powered-by');

  // The merchant's browser lands here from the app's /auth; the merchant approves at once.
  app.get('/admin/oauth/authorize', (req: Request, res: Response) => {
    const shop = requestedShop(req) ?? String(req.query.shop ?? '');
    const clientId = String(req.query.client_id ?? '');
    const redirectUri = String(req.query.redirect_uri ?? '');
    if (!state.shops.has(shop)) {
      res.status(404).send(`There is no store at ${shop}`);
      return;
    }
    if ((options.apiKey && clientId !== options.apiKey) || !redirectUri) {
      res.status(400).send('Oauth error invalid_request: The redirect_uri and client_id are not valid for this app');
      return;
    }
    const scope = String(req.query.scope ?? '');
    const params: Record<string, string> = {
      code: state.issueCode(shop, scope),
      host: Buffer.from(`admin.shopify.com/store/${shop.replace('.myshopify.com', '')}`).toString('base64url'),
      shop,
      state: String(req.query.state ?? ''),
      timestamp: String(Math.floor(now().getTime() / 1000)),
    };
    params.hmac = signAdminQuery(params, options.apiSecret);
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    res.redirect(302, target.toString());
  });

  app.post(
    '/admin/oauth/access_token',
    express.json(),
    express.urlencoded({ extended: false }),
    (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      if (body.client_secret !== options.apiSecret || (options.apiKey && body.client_id !== options.apiKey)) {
        res.status(400).json({ error: 'invalid_client', error_description: 'Client credentials are invalid' });
        return;
      }
      const grant = body.code ? state.redeemCode(body.code) : undefined;
      if (!grant || grant.shop !== (requestedShop(req) ?? grant.shop)) {
        res.status(400).json({
          error: 'invalid_request',
          error_description: 'The authorization code was not found or was already used',
        });
        return;
      }
      res.json({ access_token: grant.accessToken, scope: grant.scope });
    },
  );

  app.post('/admin/api/:version/:endpoint', express.json({ limit: '1mb' }), (req: Request, res: Response) => {
    if (req.params.endpoint !== 'graphql.json') {
      res.status(404).json({ errors: 'Not Found' });
      return;
    }
    const token = req.get('x-shopify-access-token') ?? '';
    const grant = state.accessTokens.get(token);
    const shopDomain = requestedShop(req) ?? grant?.shop;
    if (!grant || grant.shop !== shopDomain) {
      res.status(401).json(INVALID_TOKEN);
      return;
    }
    const shop = state.shop(shopDomain);
    const apiVersion = String(req.params.version);
    const result = answerGraphql(
      {
        state,
        shop,
        apiVersion,
        origin,
        pollsUntilComplete,
        now: now(),
        onBulkCompleted: (operation) => track(announceCompletion(shop, operation, apiVersion)),
      },
      req.body as { query?: unknown; variables?: unknown },
    );
    res.json(result);
  });

  // Where a completed operation's `url` points (on Shopify, a signed storage URL).
  app.get('/bulk-results/:file', (req: Request, res: Response) => {
    const id = state.bulkOperationGid(Number(String(req.params.file).replace(/\.jsonl$/, '')));
    const operation = state.findBulkOperation(id);
    if (!operation || operation.status !== 'COMPLETED') {
      res.status(404).send('NoSuchKey');
      return;
    }
    const cutAfter = state.faults.cutNextDownloadAfterLines;
    state.faults.cutNextDownloadAfterLines = undefined;
    res.status(200).type('application/jsonl');
    // Chunked, a line at a time: a client that buffers the whole file gains nothing.
    let sent = 0;
    const writeNext = () => {
      while (sent < operation.lines.length) {
        if (cutAfter !== undefined && sent >= cutAfter) {
          res.socket?.destroy();
          return;
        }
        const ok = res.write(`${operation.lines[sent++]}\n`);
        if (!ok) {
          res.once('drain', writeNext);
          return;
        }
      }
      res.end();
    };
    writeNext();
  });

  app.use((_req, res) => {
    res.status(404).json({ errors: 'Not Found' });
  });

  async function announceCompletion(shop: StandinShop, operation: BulkOperationRecord, apiVersion: string) {
    await deliverWebhook(state, {
      apiSecret: options.apiSecret,
      apiVersion,
      shop: shop.domain,
      topic: 'BULK_OPERATIONS_FINISH',
      payload: {
        admin_graphql_api_id: operation.id,
        completed_at: operation.completedAt,
        created_at: operation.createdAt,
        error_code: null,
        status: 'completed',
        type: 'query',
      },
    });
  }

  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    state,
    async uninstall(shopDomain: string) {
      const shop = state.shop(shopDomain);
      const subscriptions = [...shop.webhookSubscriptions];
      const payload = { id: shop.id, name: shop.name, domain: shop.domain, myshopify_domain: shop.domain, currency: shop.currencyCode };
      state.revokeApp(shopDomain);
      // Delivered to the subscriptions that existed at the moment of uninstalling.
      shop.webhookSubscriptions = subscriptions;
      const delivery = deliverWebhook(state, {
        apiSecret: options.apiSecret,
        apiVersion: '2026-07',
        shop: shopDomain,
        topic: 'APP_UNINSTALLED',
        payload,
      });
      shop.webhookSubscriptions = [];
      await delivery;
    },
    async close() {
      await Promise.allSettled([...pending]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
