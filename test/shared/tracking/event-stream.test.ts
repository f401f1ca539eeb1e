import { decodeStreamEntry, encodeStreamEntry, storefrontEventStreamKey, STREAM_ENTRY_FIELD, type StorefrontEventEntry } from '../../../shared/tracking';

const entry: StorefrontEventEntry = {
  v: 1,
  shop: 'stream.myshopify.com',
  id: '0f8b1e2c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  type: 'add_to_cart',
  occurred_at: 1_764_300_009_000,
  received_at: 1_764_300_010_000,
  consent: true,
  visitor_key: 'abcdefghijklmnopqrstuvwx',
  customer_key: null,
  impression_id: 'imp1',
  placement: 'fbt',
  product_id: '7001',
  position: 2,
  model_version: '42',
  sponsored: false,
  token: '1.f0.2.7001.x.imp1.42.AAAAAAAAAAAAAAAA',
  variant_id: '4001',
  quantity: 1,
};

describe('storefront event stream entry', () => {
  it('round-trips through the stream field', () => {
    expect(decodeStreamEntry([STREAM_ENTRY_FIELD, encodeStreamEntry(entry)])).toEqual({ ok: true, entry });
  });

  it('keys the stream under the prefix with the events hash tag', () => {
    expect(storefrontEventStreamKey('sw')).toBe('sw:{storefront-events}:stream');
  });

  it('refuses an entry without consent that still names the visitor or the customer', () => {
    const leaky = { ...entry, consent: false };
    expect(decodeStreamEntry([STREAM_ENTRY_FIELD, JSON.stringify(leaky)]).ok).toBe(false);
    expect(decodeStreamEntry([STREAM_ENTRY_FIELD, JSON.stringify({ ...leaky, visitor_key: null })]).ok).toBe(true);
    expect(decodeStreamEntry([STREAM_ENTRY_FIELD, JSON.stringify({ ...leaky, visitor_key: null, customer_key: 'c' })]).ok).toBe(false);
  });

  it('reports malformed entries as values with a reason', () => {
    expect(decodeStreamEntry([])).toEqual({ ok: false, reason: `no '${STREAM_ENTRY_FIELD}' field` });
    expect(decodeStreamEntry(['other', '{}'])).toEqual({ ok: false, reason: `no '${STREAM_ENTRY_FIELD}' field` });
    expect(decodeStreamEntry([STREAM_ENTRY_FIELD, '{not json'])).toEqual({ ok: false, reason: 'not JSON' });
    const wrongType = decodeStreamEntry([STREAM_ENTRY_FIELD, JSON.stringify({ ...entry, type: 'purchase' })]);
    expect(wrongType.ok).toBe(false);
    expect(!wrongType.ok && wrongType.reason).toMatch(/^type: /);
    expect(decodeStreamEntry([STREAM_ENTRY_FIELD, JSON.stringify({ ...entry, v: 2 })]).ok).toBe(false);
  });
});
