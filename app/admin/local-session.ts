import { createHmac, randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import type { Shopify } from '../shopify/app';

export const LOCAL_SESSION_PATH = '/admin/local-session';

/** Seconds a local session token lives: Shopify's own last one minute. */
export const LOCAL_SESSION_TOKEN_SECONDS = 60;

export interface LocalSessionDeps {
  shopify: Shopify;
  db: Db;
  logger: Logger;
  /**
   * Epoch ms of the wall clock. The token's exp and nbf are checked by the Shopify library
   * against the real time, so this is the real clock outside tests of expiry.
   */
  now: () => number;
}

/**
 * A session token exactly as Shopify's admin signs one for App Bridge: HS256 with the app's
 * secret, iss the shop's admin, dest the shop, aud the API key, a one-minute life.
 */
export function mintSessionToken({ shop, apiKey, apiSecret, nowMs }: { shop: string; apiKey: string; apiSecret: string; nowMs: number }): { token: string; expiresAt: number } {
  const now = Math.floor(nowMs / 1000);
  const exp = now + LOCAL_SESSION_TOKEN_SECONDS;
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: 'local-session',
    exp,
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return { token: `${unsigned}.${createHmac('sha256', apiSecret).update(unsigned).digest('base64url')}`, expiresAt: exp * 1000 };
}

const LOOPBACK_ADDRESS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host'];

/**
 * Whether the request comes from this machine itself. The socket's peer address decides, never
 * req.ip (the app trusts X-Forwarded-For). A request carrying forwarding headers is refused even
 * from loopback: a tunnel or reverse proxy on this machine relays other machines' requests.
 * The Host must be loopback too, so a DNS-rebound page cannot read a token.
 */
export function isLoopbackRequest(req: Request): boolean {
  const peer = req.socket.remoteAddress ?? '';
  if (!LOOPBACK_ADDRESS.test(peer)) return false;
  if (FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return LOOPBACK_HOST.test(req.headers.host ?? '');
}

/**
 * POST /admin/local-session?shop=<domain>: a session token for an installed shop, to loopback
 * clients only (the demo and tests run the admin page outside the Shopify admin). The token goes
 * through the same requireSessionToken check as App Bridge's. Mounted only when
 * ADMIN_LOCAL_SESSION is on; 403 for anyone else, 404 for a shop that is not installed.
 */
export function localSessionRouter(deps: LocalSessionDeps): Router {
  const router = express.Router();
  router.post(LOCAL_SESSION_PATH, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!isLoopbackRequest(req)) {
      deps.logger.warn({ peer: req.socket.remoteAddress }, 'admin local session refused: not a loopback client');
      res.status(403).json({ error: 'loopback_only' });
      return;
    }
    const raw = typeof req.query.shop === 'string' ? req.query.shop : '';
    const shop = deps.shopify.api.utils.sanitizeShop(raw);
    const installed = shop
      ? await deps.db.selectFrom('shops').select('domain').where('domain', '=', shop).where('active', '=', true).executeTakeFirst()
      : undefined;
    if (!installed) {
      res.status(404).json({ error: 'shop_not_installed' });
      return;
    }
    const { apiKey, apiSecretKey } = deps.shopify.api.config;
    res.json(mintSessionToken({ shop: installed.domain, apiKey, apiSecret: apiSecretKey, nowMs: deps.now() }));
  });
  return router;
}
