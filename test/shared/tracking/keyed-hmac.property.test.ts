import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { customerPseudonym } from '../../../shared/crypto';
import { KeyedHmac } from '../../../shared/crypto/keyed-hmac';
import { recommendationTokenKey, signRecommendationToken } from '../../../shared/tracking';

// Tokens already in carts and orders, pseudonyms already stored and Shopify's proxy signatures
// were all made with createHmac over the raw key: the KeyObject-keyed HMAC must give the same bytes.
const keyArb = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 100 }),
);
const messageArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 800 }), fc.string({ maxLength: 3000 }));

describe('KeyedHmac', () => {
  it('is HMAC-SHA256: the same digest as createHmac for any key and message, hex and base64url', () => {
    fc.assert(
      fc.property(keyArb, fc.array(messageArb, { minLength: 1, maxLength: 4 }), (key, messages) => {
        const hmac = new KeyedHmac(key);
        for (const message of messages) {
          expect(hmac.digest(message, 'hex')).toBe(createHmac('sha256', key).update(message, 'utf8').digest('hex'));
          expect(hmac.digest(message, 'base64url')).toBe(createHmac('sha256', key).update(message, 'utf8').digest('base64url'));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a lone surrogate is encoded as createHmac encodes it', () => {
    const hmac = new KeyedHmac('k');
    for (const message of ['\ud800', 'a\udc00b', '\ud83d\ude00', 'x\u0000\ud83d']) {
      expect(hmac.digest(message, 'hex')).toBe(createHmac('sha256', 'k').update(message).digest('hex'));
    }
  });

  it('a recommendation token carries the MAC createHmac gives its body (tokens minted before still verify)', () => {
    const key = recommendationTokenKey(randomBytes(32));
    const shop = 'keyed-hmac.myshopify.com';
    const token = signRecommendationToken(key, shop, { impressionId: 'imp1', placement: 'fbt', productId: '7001', position: 2, modelVersion: '42', sponsored: false, issuedAt: 1_764_300_000 });
    const body = token.slice(0, token.lastIndexOf('.'));
    expect(token.slice(token.lastIndexOf('.') + 1)).toBe(createHmac('sha256', key).update(shop).update('\u0000').update(body).digest('base64url').slice(0, 16));
  });

  it('a customer pseudonym is the one createHmac gives (stored pseudonyms keep matching), across keys', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('key-a', 'key-b'), fc.string(), fc.oneof(fc.string(), fc.integer())), { maxLength: 10 }), (calls) => {
        for (const [key, shop, id] of calls) {
          expect(customerPseudonym(key, shop, id)).toBe(createHmac('sha256', key).update(`${shop}\u0000${id}`).digest('base64url').slice(0, 24));
        }
      }),
    );
  });
});
