import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { verifyWebhook } from '../../../app/webhooks/verify';

const headers = (hmac: string) => ({
  'x-shopify-hmac-sha256': hmac,
  'x-shopify-topic': 'orders/create',
  'x-shopify-shop-domain': 'a.myshopify.com',
  'x-shopify-webhook-id': 'w',
  'x-shopify-api-version': '2026-07',
});
const sign = (secret: string, body: Uint8Array) => createHmac('sha256', secret).update(body).digest('base64');

describe('webhook signature (property)', () => {
  it('accepts exactly the body signed with the app secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uint8Array({ maxLength: 512 }), (secret, bytes) => {
        const body = Buffer.from(bytes);
        expect(verifyWebhook(headers(sign(secret, body)), body, secret).ok).toBe(true);
      }),
    );
  });

  it('rejects any changed byte, another secret, or a mangled signature', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (secret, other, bytes, at, flip) => {
          const body = Buffer.from(bytes);
          const hmac = sign(secret, body);
          const tampered = Buffer.from(body);
          tampered[at % tampered.length]! ^= flip;
          expect(verifyWebhook(headers(hmac), tampered, secret)).toEqual({ ok: false, reason: 'invalid_hmac' });
          if (other !== secret) expect(verifyWebhook(headers(sign(other, body)), body, secret).ok).toBe(false);
          expect(verifyWebhook(headers(hmac.slice(1)), body, secret).ok).toBe(false);
        },
      ),
    );
  });

  it('names the headers a signed delivery lacks', () => {
    const body = Buffer.from('{}');
    const check = verifyWebhook({ 'x-shopify-hmac-sha256': sign('s', body) }, body, 's');
    expect(check).toEqual({ ok: false, reason: 'missing_headers', missing: ['topic', 'shop', 'webhookId', 'apiVersion'] });
  });
});
