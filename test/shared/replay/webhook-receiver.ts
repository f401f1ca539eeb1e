import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  topic: string;
  shop: string;
  webhookId: string;
  eventId: string | undefined;
  triggeredAt: string | undefined;
  apiVersion: string | undefined;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  /** Deliveries that passed the HMAC check, in arrival order, duplicates included. */
  received: ReceivedWebhook[];
  rejected: number;
  /** Distinct webhook ids seen. */
  seen: Set<string>;
  /** Answer the next `n` requests with this status instead (fault injection). */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the app's /webhooks: checks the HMAC itself with node:crypto (not with the
 * code under test), answers 401 when it is wrong, and dedupes on X-Shopify-Webhook-Id the way
 * the app does, answering `{ ok: true, duplicate: true }`.
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const seen = new Set<string>();
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  let rejected = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures.left > 0) {
        failures.left--;
        res.writeHead(failures.status).end('{"error":"injected"}');
        return;
      }
      const raw = Buffer.concat(chunks);
      const expected = createHmac('sha256', secret).update(raw).digest();
      const given = Buffer.from(String(req.headers['x-shopify-hmac-sha256'] ?? ''), 'base64');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        rejected++;
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      const webhookId = String(req.headers['x-shopify-webhook-id']);
      received.push({
        topic: String(req.headers['x-shopify-topic']),
        shop: String(req.headers['x-shopify-shop-domain']),
        webhookId,
        eventId: req.headers['x-shopify-event-id'] as string | undefined,
        triggeredAt: req.headers['x-shopify-triggered-at'] as string | undefined,
        apiVersion: req.headers['x-shopify-api-version'] as string | undefined,
        body: raw.toString('utf8'),
      });
      const duplicate = seen.has(webhookId);
      seen.add(webhookId);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(duplicate ? { ok: true, duplicate: true } : { ok: true }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    seen,
    get rejected() {
      return rejected;
    },
    failNext(n, status) {
      failures = { left: n, status };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
