import type { IncomingMessage } from 'node:http';

/**
 * The shopper's address: Shopify's proxy puts it first in X-Forwarded-For. A client can forge
 * that header, so it only ever scopes a limit (events, sponsored frequency caps), never an identity.
 */
export function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}
