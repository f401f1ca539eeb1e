import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { holdoutBucket, holdoutGroup } from '../../../shared/holdout';

const shop = fc.stringMatching(/^[a-z0-9-]{1,20}\.myshopify\.com$/);
const visitorKey = fc.stringMatching(/^[0-9A-Za-z_-]{24}$/);
const share = fc.integer({ min: 0, max: 10_000 });

describe('holdoutGroup (property)', () => {
  it('is the documented hash: the first 4 bytes of sha256(domain, shop, visitor) as uint32, mod 10000', () => {
    const digest = createHash('sha256').update('shelfwise/holdout\u0000tea.myshopify.com\u0000abcdefghijklmnopqrstuvwx').digest();
    const bucket = digest.readUInt32BE(0) % 10_000;
    expect(holdoutBucket('tea.myshopify.com', 'abcdefghijklmnopqrstuvwx')).toBe(bucket);
    expect(holdoutGroup('tea.myshopify.com', 'abcdefghijklmnopqrstuvwx', bucket)).toBe('treatment');
    expect(holdoutGroup('tea.myshopify.com', 'abcdefghijklmnopqrstuvwx', bucket + 1)).toBe('holdout');
  });

  it('gives every visitor the group of its documented bucket, whatever the shop, visitor and share', () => {
    fc.assert(
      fc.property(shop, visitorKey, share, (s, v, p) => {
        const bucket = createHash('sha256').update(`shelfwise/holdout\u0000${s}\u0000${v}`).digest().readUInt32BE(0) % 10_000;
        return holdoutGroup(s, v, p) === (bucket < p ? 'holdout' : 'treatment');
      }),
    );
  });

  it('holds out nobody at share 0 and everybody at 10000', () => {
    fc.assert(fc.property(shop, visitorKey, (s, v) => holdoutGroup(s, v, 0) === 'treatment' && holdoutGroup(s, v, 10_000) === 'holdout'));
  });

  it('is monotone: a visitor held out at a share stays held out at any larger share', () => {
    fc.assert(
      fc.property(shop, visitorKey, share, share, (s, v, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return holdoutGroup(s, v, low) !== 'holdout' || holdoutGroup(s, v, high) === 'holdout';
      }),
    );
  });

  it('holds out about the share over many visitors (within 4.5 standard deviations)', () => {
    const n = 20_000;
    fc.assert(
      fc.property(shop, fc.integer({ min: 1, max: 5000 }), fc.string({ minLength: 1, maxLength: 8 }), (s, p, seed) => {
        let held = 0;
        for (let i = 0; i < n; i++) if (holdoutGroup(s, `${seed}-${i}`, p) === 'holdout') held++;
        const rate = p / 10_000;
        const sd = Math.sqrt((rate * (1 - rate)) / n);
        return Math.abs(held / n - rate) <= 4.5 * sd;
      }),
      { numRuns: 12 },
    );
  });

  it('assigns different shops independently: one visitor key is not held out everywhere', () => {
    let both = 0;
    let first = 0;
    for (let i = 0; i < 20_000; i++) {
      const inA = holdoutGroup('a.myshopify.com', `v${i}`, 1000) === 'holdout';
      if (inA) first++;
      if (inA && holdoutGroup('b.myshopify.com', `v${i}`, 1000) === 'holdout') both++;
    }
    // Independent: about 10 % of A's held-out visitors are held out in B too, not all of them.
    expect(both / first).toBeGreaterThan(0.05);
    expect(both / first).toBeLessThan(0.15);
  });
});
