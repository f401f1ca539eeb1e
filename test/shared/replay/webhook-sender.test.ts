import { createHttpPoster, createWebhookSender, type HttpPoster } from '../../../shared/replay';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const SECRET = 'sender-secret';
const webhook = {
  topic: 'orders/create',
  shop: 'sender.myshopify.com',
  apiVersion: '2026-07',
  webhookId: 'w-1',
  eventId: 'e-1',
  triggeredAt: '2010-06-01T08:30:00.000Z',
};

describe('webhook sender (real HTTP)', () => {
  let receiver: WebhookReceiver;
  let poster: HttpPoster;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  beforeEach(async () => {
    sleeps.length = 0;
    receiver = await startWebhookReceiver(SECRET);
    poster = createHttpPoster({ url: receiver.url, maxSockets: 2 });
  });
  afterEach(async () => {
    poster.close();
    await receiver.close();
  });

  it('signs the raw body so an independent HMAC check accepts it, with every Shopify header', async () => {
    const sender = createWebhookSender({ poster, secret: SECRET, sleep });
    const body = JSON.stringify({ id: 1, note: 'caf\u00e9 \u2603' });
    expect(await sender.send(webhook, body)).toEqual({ outcome: 'accepted', status: 200, attempts: 1 });
    expect(receiver.received).toEqual([{ ...webhook, body }]);
  });

  it('is refused by the receiver when signed with another secret, and does not retry a 401', async () => {
    const sender = createWebhookSender({ poster, secret: 'wrong', sleep });
    const result = await sender.send(webhook, '{}');
    expect(result).toMatchObject({ outcome: 'failed', status: 401, attempts: 1 });
    expect(receiver.rejected).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with doubling backoff and then succeeds', async () => {
    receiver.failNext(2, 503);
    const sender = createWebhookSender({ poster, secret: SECRET, sleep, backoffMs: 100 });
    expect(await sender.send(webhook, '{}')).toEqual({ outcome: 'accepted', status: 200, attempts: 3 });
    expect(sleeps).toEqual([100, 200]);
  });

  it('reports a duplicate when the receiver has seen the webhook id', async () => {
    const sender = createWebhookSender({ poster, secret: SECRET, sleep });
    await sender.send(webhook, '{}');
    expect(await sender.send(webhook, '{}')).toMatchObject({ outcome: 'duplicate', status: 200 });
  });

  it('gives up after the retries when nobody listens', async () => {
    const closed = createHttpPoster({ url: 'http://127.0.0.1:1/webhooks', maxSockets: 1 });
    const sender = createWebhookSender({ poster: closed, secret: SECRET, sleep, retries: 2, backoffMs: 10 });
    const result = await sender.send(webhook, '{}');
    closed.close();
    expect(result).toMatchObject({ outcome: 'failed', status: null, attempts: 3 });
    expect(sleeps).toEqual([10, 20]);
  });
});
