import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  recommendationTokenKey,
  recommendationTokenKeys,
  signRecommendationToken,
  verifyRecommendationToken,
  TOKEN_PLACEMENTS,
  type RecommendationToken,
  type TokenPlacement,
} from '../../../shared/tracking';

const KEY = recommendationTokenKey(randomBytes(32));
const SHOP = 'token-a.myshopify.com';
const NOW = 1_764_300_000;

const id = fc.stringMatching(/^[0-9A-Za-z_-]{1,64}$/);
const organicArb: fc.Arbitrary<RecommendationToken> = fc.record({
  impressionId: id,
  placement: fc.constantFrom(...(Object.keys(TOKEN_PLACEMENTS) as TokenPlacement[])),
  productId: id,
  position: fc.integer({ min: 0, max: 36 ** 4 - 1 }),
  modelVersion: fc.option(id, { nil: null }),
  sponsored: fc.boolean(),
  issuedAt: fc.integer({ min: 0, max: NOW }),
});
/** A sponsored slot's token: the campaign and the click price are signed with the rest. */
const sponsoredArb: fc.Arbitrary<RecommendationToken> = fc
  .tuple(organicArb, fc.stringMatching(/^[0-9]{1,18}$/), fc.integer({ min: 0, max: 36 ** 6 - 1 }))
  .map(([token, campaignId, priceMinor]) => ({ ...token, sponsored: true, sponsorship: { campaignId, priceMinor } }));
const tokenArb = fc.oneof(organicArb, sponsoredArb);
const TOKEN_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.';

describe('recommendation token', () => {
  it('property: what is signed verifies to the same token, for the shop it was signed for', () => {
    fc.assert(
      fc.property(tokenArb, (token) => {
        const raw = signRecommendationToken(KEY, SHOP, token);
        expect(raw.length).toBeLessThanOrEqual(300);
        expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW })).toEqual({ ok: true, token });
      }),
      { numRuns: 500 },
    );
  });

  it('property: changing any one character of a token makes it fail', () => {
    fc.assert(
      fc.property(tokenArb, fc.nat(), fc.constantFrom(...TOKEN_ALPHABET), (token, at, replacement) => {
        const raw = signRecommendationToken(KEY, SHOP, token);
        const i = at % raw.length;
        fc.pre(raw[i] !== replacement);
        const tampered = raw.slice(0, i) + replacement + raw.slice(i + 1);
        expect(verifyRecommendationToken(KEY, SHOP, tampered, { nowSeconds: NOW }).ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('fails for every single-character change of one real token, position by position', () => {
    const raw = signRecommendationToken(KEY, SHOP, { impressionId: 'q8Zt2VJw0b3M', placement: 'fbt', productId: '7001', position: 3, modelVersion: '42', sponsored: false, issuedAt: NOW });
    let tried = 0;
    for (let i = 0; i < raw.length; i++) {
      for (const c of TOKEN_ALPHABET) {
        if (c === raw[i]) continue;
        tried++;
        expect(verifyRecommendationToken(KEY, SHOP, raw.slice(0, i) + c + raw.slice(i + 1), { nowSeconds: NOW }).ok).toBe(false);
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });

  it('a token of shop A is invalid for shop B, and under another key', () => {
    fc.assert(
      fc.property(tokenArb, (token) => {
        const raw = signRecommendationToken(KEY, SHOP, token);
        expect(verifyRecommendationToken(KEY, 'token-b.myshopify.com', raw, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
        expect(verifyRecommendationToken(recommendationTokenKey(randomBytes(32)), SHOP, raw, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
      }),
      { numRuns: 200 },
    );
  });

  it('after a key rotation, tokens signed with the previous key verify with the key list, and only with it', () => {
    const before = randomBytes(32);
    const after = randomBytes(32);
    const keys = recommendationTokenKeys({ tokenEncryptionKey: after, tokenEncryptionKeysPrevious: [before] });
    // The signing key is the current one's, first in the list.
    expect(keys[0]).toEqual(recommendationTokenKey(after));
    fc.assert(
      fc.property(tokenArb, (token) => {
        const old = signRecommendationToken(recommendationTokenKey(before), SHOP, token);
        const fresh = signRecommendationToken(keys[0]!, SHOP, token);
        expect(verifyRecommendationToken(keys, SHOP, old, { nowSeconds: NOW })).toMatchObject({ ok: true });
        expect(verifyRecommendationToken(keys, SHOP, fresh, { nowSeconds: NOW })).toMatchObject({ ok: true });
        expect(verifyRecommendationToken(recommendationTokenKey(after), SHOP, old, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
        expect(verifyRecommendationToken(keys, 'token-b.myshopify.com', old, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
        // Once the previous key is retired, its tokens stop verifying.
        expect(verifyRecommendationToken(recommendationTokenKeys({ tokenEncryptionKey: after }), SHOP, old, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
      }),
      { numRuns: 100 },
    );
  });

  it('expires after maxAgeSeconds and refuses tokens from more than the skew ahead', () => {
    const raw = signRecommendationToken(KEY, SHOP, { impressionId: 'i', placement: 'cart', productId: '1', position: 0, modelVersion: null, sponsored: true, issuedAt: NOW });
    expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW + 3600, maxAgeSeconds: 3600 }).ok).toBe(true);
    expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW + 3601, maxAgeSeconds: 3600 })).toEqual({ ok: false, reason: 'expired' });
    // Without a limit (attribution) age does not matter.
    expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW + 10 ** 7 }).ok).toBe(true);
    expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW - 300 }).ok).toBe(true);
    expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW - 301 })).toEqual({ ok: false, reason: 'from_the_future' });
    expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW - 30, maxSkewSeconds: 10 })).toEqual({ ok: false, reason: 'from_the_future' });
  });

  it('property: malformed input of any kind is refused as a value, never thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.stringMatching(/^1(\.[0-9a-z]{0,6}){7}$/)), (raw) => {
        const result = verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW, maxAgeSeconds: 60 });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 1_000 },
    );
    for (const raw of ['', '1', '1.f0.0.1.0.i..', `1.f0.0.1.0.i..${'A'.repeat(16)}.extra`, 'x'.repeat(301), '2.f0.0.1.0.i..AAAAAAAAAAAAAAAA', '1.z0.0.1.0.i..AAAAAAAAAAAAAAAA']) {
      expect(verifyRecommendationToken(KEY, SHOP, raw, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses to sign what it could not read back: fractional or negative slots and times, bad ids', () => {
    const base: RecommendationToken = { impressionId: 'i', placement: 'fbt', productId: '1', position: 0, modelVersion: null, sponsored: false, issuedAt: NOW };
    expect(() => signRecommendationToken(KEY, SHOP, { ...base, position: 1.5 })).toThrow(RangeError);
    expect(() => signRecommendationToken(KEY, SHOP, { ...base, position: -1 })).toThrow(RangeError);
    expect(() => signRecommendationToken(KEY, SHOP, { ...base, issuedAt: NOW + 0.5 })).toThrow(RangeError);
    expect(() => signRecommendationToken(KEY, SHOP, { ...base, productId: 'a.b' })).toThrow(RangeError);
    expect(() => signRecommendationToken(KEY, SHOP, { ...base, modelVersion: '' })).toThrow(RangeError);
  });
});
