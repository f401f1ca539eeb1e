import fc from 'fast-check';
import { verifyProxyQuery } from '../../../app/proxy';
import { appProxySignature, signProxyQuery } from '../../../shared/shopify';

// Shopify's documented example (../shared/docs/shopify-facts.md, "App proxy").
const EXAMPLE = 'extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=/apps/awesome_reviews&timestamp=1317327555';
const EXAMPLE_SIGNATURE = '4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb';
const SECRET = 'hush';
const NOW = 1317327555;

describe('app proxy signature', () => {
  it('signs Shopify’s documented example to the documented signature', () => {
    expect(appProxySignature([...new URLSearchParams(EXAMPLE).entries()], SECRET)).toBe(EXAMPLE_SIGNATURE);
  });

  it('accepts the documented request and reads the shop, customer and path prefix', () => {
    const query = new URLSearchParams(`${EXAMPLE}&signature=${EXAMPLE_SIGNATURE}`);
    expect(verifyProxyQuery(query, { secret: SECRET, nowSeconds: NOW + 30 })).toEqual({
      ok: true,
      shop: 'shop-name.myshopify.com',
      loggedInCustomerId: '1',
      pathPrefix: '/apps/awesome_reviews',
    });
  });

  it('rejects tampering: another value, a dropped repeated value, another secret, no signature', () => {
    const tampered = (from: string, to: string) => new URLSearchParams(`${EXAMPLE.replace(from, to)}&signature=${EXAMPLE_SIGNATURE}`);
    const options = { secret: SECRET, nowSeconds: NOW };
    expect(verifyProxyQuery(tampered('logged_in_customer_id=1', 'logged_in_customer_id=2'), options)).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyProxyQuery(tampered('extra=1&extra=2', 'extra=1'), options)).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyProxyQuery(tampered('', ''), { ...options, secret: 'other' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyProxyQuery(new URLSearchParams(EXAMPLE), options)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('rejects a shopper’s own shop or customer id placed before the ones Shopify adds, though the signature covers both', () => {
    // What a storefront visitor can do: put `shop` and `logged_in_customer_id` in the URL; Shopify
    // appends its own and signs them all (a repeated key's values joined), so the signature is valid.
    for (const name of ['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp']) {
      const params: Array<[string, string]> = [
        ['placement', 'for_you'],
        [name, name === 'shop' ? 'victim.myshopify.com' : name === 'timestamp' ? String(NOW) : '42'],
        ['shop', 'attacker.myshopify.com'],
        ['logged_in_customer_id', ''],
        ['path_prefix', '/apps/shelfwise'],
        ['timestamp', String(NOW)],
      ];
      const query = new URLSearchParams(params);
      query.append('signature', appProxySignature([...query.entries()], SECRET));
      expect(verifyProxyQuery(query, { secret: SECRET, nowSeconds: NOW })).toEqual({ ok: false, reason: 'repeated_parameter' });
    }
  });

  it('rejects a replay of a signed URL once its timestamp is more than 90 s off, either way', () => {
    const query = new URLSearchParams(`${EXAMPLE}&signature=${EXAMPLE_SIGNATURE}`);
    expect(verifyProxyQuery(query, { secret: SECRET, nowSeconds: NOW + 90 }).ok).toBe(true);
    expect(verifyProxyQuery(query, { secret: SECRET, nowSeconds: NOW + 91 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyProxyQuery(query, { secret: SECRET, nowSeconds: NOW - 91 })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('property: any signed query verifies; any changed value or other secret does not', () => {
    const key = fc.stringMatching(/^[a-z_]{1,12}$/).filter((k) => k !== 'signature' && k !== 'timestamp' && k !== 'shop');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 20 })), { maxLength: 8 }), fc.string({ minLength: 1, maxLength: 30 }), fc.nat(1_000), (params, secret, change) => {
        const all: [string, string][] = [['shop', 'prop-test.myshopify.com'], ...params];
        const query = new URLSearchParams(signProxyQuery(all, secret, NOW));
        expect(verifyProxyQuery(query, { secret, nowSeconds: NOW }).ok).toBe(true);
        expect(verifyProxyQuery(query, { secret: `${secret}x`, nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
        if (params.length) {
          const [k, v] = params[change % params.length]!;
          const changed = new URLSearchParams([...query.entries()].map(([qk, qv]): [string, string] => [qk, qk === k && qv === v ? `${v}!` : qv]));
          expect(verifyProxyQuery(changed, { secret, nowSeconds: NOW })).toEqual({ ok: false, reason: 'invalid_signature' });
        }
      }),
      { numRuns: 200 },
    );
  });
});
