import { snapshotStore } from '../../../worker/train';
import { upsertOrder } from '../../../worker/store';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { order, productId, START, writeProducts } from './small-store';

const SHOP = 'snapshot.myshopify.com';
const at = (hours: number) => new Date(START + hours * 3_600_000);

describe.each(BACKENDS)('snapshotStore on %s', (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
    const { db } = database;
    await writeProducts(db, SHOP, 4);
    await writeProducts(db, 'other.myshopify.com', 4);
    // Processed later than created: the processed time counts.
    await upsertOrder(db, order(SHOP, 1, at(0), 'alice', [productId(0), productId(1)], { processedAt: at(5) }));
    // A guest order, and a line without a product (a custom line) that is left out.
    await upsertOrder(db, order(SHOP, 2, at(1), null, [productId(1), null, productId(2)], { processedAt: null }));
    await upsertOrder(db, order(SHOP, 3, at(2), 'alice', [productId(3)], { cancelledAt: at(3) }));
    await upsertOrder(db, order(SHOP, 4, at(3), 'bob', [productId(3)], { test: true }));
    await upsertOrder(db, order(SHOP, 5, at(4), 'bob', [productId(2)]));
    await upsertOrder(db, order('other.myshopify.com', 6, at(4), 'carol', [productId(0)]));
  });
  afterAll(() => database.close());

  it('reads kept lines in time order: order id as invoice, product id as stock code, customer key, processed or created time', async () => {
    const { log, products } = await snapshotStore(database.db, SHOP);
    const rows = Array.from(log.time, (time, r) => ({
      invoice: log.invoices[log.invoice[r]!],
      item: log.stockCodes[log.item[r]!],
      customer: log.customer[r]! < 0 ? null : log.customerIds[log.customer[r]!],
      time,
    }));
    const seconds = (d: Date) => d.getTime() / 1000;
    expect(rows).toEqual([
      { invoice: '5000002', item: productId(1), customer: null, time: seconds(at(1)) },
      { invoice: '5000002', item: productId(2), customer: null, time: seconds(at(1)) },
      { invoice: '5000005', item: productId(2), customer: 'bob', time: seconds(at(4)) },
      { invoice: '5000001', item: productId(0), customer: 'alice', time: seconds(at(5)) },
      { invoice: '5000001', item: productId(1), customer: 'alice', time: seconds(at(5)) },
    ]);
    expect(products.map((p) => p.code)).toEqual([0, 1, 2, 3].map(productId));
    expect(products[0]!.text).toBe('garden item 0 garden vendor 0 garden size-large A garden thing');
    // The product's text is what content models see for a bought item.
    expect(log.descriptions[log.stockCodes.indexOf(productId(0))]).toBe(products[0]!.text);
  });

  it('fingerprints the data: the same store twice gives the same print, one more order another', async () => {
    const first = await snapshotStore(database.db, SHOP);
    const again = await snapshotStore(database.db, SHOP);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await upsertOrder(database.db, order(SHOP, 7, at(6), 'alice', [productId(3)]));
    const changed = await snapshotStore(database.db, SHOP);
    expect(changed.fingerprint).not.toBe(first.fingerprint);
    expect(changed.log.time.length).toBe(first.log.time.length + 1);
  });
});
