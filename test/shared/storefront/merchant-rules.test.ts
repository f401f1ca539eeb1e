import { InvalidInputError } from '../../../shared/errors';
import { addMerchantRule, listMerchantRules, removeMerchantRule, validateRule } from '../../../shared/storefront';
import { BACKENDS, type TestDatabase } from '../../support/databases';

describe.each(BACKENDS)('merchant rules (%s)', (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  it('adds, lists oldest first, and removes a shop’s rules without touching another shop’s', async () => {
    const shop = 'rules-a.myshopify.com';
    const pin = await addMerchantRule(database.db, shop, { kind: 'pin', match: 'product', value: '7001', placement: 'fbt', position: 2 });
    const boost = await addMerchantRule(database.db, shop, { kind: 'boost', match: 'vendor', value: ' Acme ', weight: 1.5 });
    await addMerchantRule(database.db, 'rules-b.myshopify.com', { kind: 'exclude', match: 'tag', value: 'sale' });
    expect(pin).toMatchObject({ kind: 'pin', match: 'product', value: '7001', placement: 'fbt', position: 2, weight: 1 });
    expect(pin.id).toMatch(/^r_[0-9A-Za-z_-]{8}$/);
    expect(boost).toMatchObject({ value: 'Acme', placement: null, weight: 1.5, position: null });
    expect((await listMerchantRules(database.db, shop)).map((r) => r.id)).toEqual([pin.id, boost.id]);
    expect(await removeMerchantRule(database.db, shop, pin.id)).toBe(true);
    expect(await removeMerchantRule(database.db, shop, pin.id)).toBe(false);
    expect((await listMerchantRules(database.db, shop)).map((r) => r.id)).toEqual([boost.id]);
    expect(await listMerchantRules(database.db, 'rules-b.myshopify.com')).toHaveLength(1);
  });

  it('refuses malformed rules with every problem named, and stores nothing', async () => {
    const shop = 'rules-c.myshopify.com';
    const attempt = addMerchantRule(database.db, shop, { kind: 'pin', match: 'tag', value: '', placement: 'shelf' as never });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(/value must be 1-255.*placement must be one of.*a pin names one product.*a pin needs a position/);
    expect(() => validateRule({ kind: 'boost', match: 'vendor', value: 'Acme' })).toThrow(/a boost needs a weight/);
    expect(() => validateRule({ kind: 'exclude', match: 'vendor', value: 'Acme', weight: 2 })).toThrow(/only a boost has a weight/);
    expect(() => validateRule({ kind: 'exclude', match: 'product', value: '1', position: 0 })).toThrow(/only a pin has a position/);
    expect(await listMerchantRules(database.db, shop)).toEqual([]);
  });
});
