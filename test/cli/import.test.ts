import { sql } from 'kysely';
import { importCatalog } from '../../shared/cli/commands/import';
import { catalogIds } from '../../shared/catalog-csv';
import { createLogger } from '../../shared/logger';
import { BACKENDS, type TestDatabase } from '../support/databases';
import { dumpStore } from '../support/dump';
import { BAD_ROWS_CSV, FIRST_5000, FIRST_5000_GZ } from '../shared/catalog-csv/fixtures';

const SHOP = 'import-test.myshopify.com';
const logger = createLogger({ level: 'silent' });

async function count(t: TestDatabase, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where shop = ${SHOP}`.execute(t.db);
  return rows[0]!.n;
}

describe.each(BACKENDS)('shelfwise import on %s', (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t.close());

  const run = (file: string) => importCatalog({ db: t.db, logger, customerIdKey: 'import-test-customer-key-0123', shop: SHOP, file });

  it('loads the 5,000-line slice as the known products, orders, line items and refunds', async () => {
    const summary = await run(FIRST_5000_GZ);
    expect(summary.deliveries.failed).toBe(0);
    expect(await count(t, 'products')).toBe(FIRST_5000.products);
    expect(await count(t, 'product_variants')).toBe(FIRST_5000.products);
    expect(await count(t, 'orders')).toBe(FIRST_5000.orders);
    expect(await count(t, 'order_line_items')).toBe(FIRST_5000.lineItems);
    expect(await count(t, 'refunds')).toBe(FIRST_5000.refunds);
    expect(await count(t, 'refund_line_items')).toBe(FIRST_5000.refundLineItems);
    const { rows } = await sql<{ total: number; lines: number }>`
      select (select sum(total_price_minor)::bigint from orders where shop = ${SHOP}) as total,
             (select sum(quantity * price_minor)::bigint from order_line_items where shop = ${SHOP}) as lines`.execute(t.db);
    expect(rows[0]).toEqual({ total: FIRST_5000.totalMinor, lines: FIRST_5000.totalMinor });
    const customers = await sql<{ n: number }>`select count(distinct customer_key)::int as n from orders where shop = ${SHOP}`.execute(t.db);
    expect(customers.rows[0]!.n).toBe(FIRST_5000.customers);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await dumpStore(t.db);
    const again = await run(FIRST_5000_GZ);
    expect(again.deliveries.failed).toBe(0);
    // Products and orders keep their version ("stale"); refunds are insert-or-ignore.
    expect(again.deliveries.duplicates).toBe(FIRST_5000.products + FIRST_5000.orders);
    expect(await dumpStore(t.db)).toEqual(before);
  });

  it('stores the mapped values: postage lines without product, guests without customer, refunds of the right line', async () => {
    await run(BAD_ROWS_CSV);
    const order = await t.db.selectFrom('orders').selectAll().where('shop', '=', SHOP).where('id', '=', String(catalogIds.orderId('500001'))).executeTakeFirstOrThrow();
    expect(order).toMatchObject({ name: '#500001', currency: 'GBP', total_price_minor: 12185, financial_status: 'paid' });
    expect(order.created_at.toISOString()).toBe('2010-06-01T08:30:00.000Z');
    const lines = await t.db.selectFrom('order_line_items').select(['product_id', 'quantity', 'price_minor']).where('shop', '=', SHOP).where('order_id', '=', order.id).orderBy('position').execute();
    expect(lines).toEqual([
      { product_id: String(catalogIds.productId('85048')), quantity: 12, price_minor: 695 },
      { product_id: String(catalogIds.productId('79323P')), quantity: 2, price_minor: 675 },
      { product_id: null, quantity: 1, price_minor: 1800 },
      { product_id: String(catalogIds.productId('85048')), quantity: 1, price_minor: 695 },
    ]);
    const guest = await t.db.selectFrom('orders').select('customer_key').where('shop', '=', SHOP).where('id', '=', String(catalogIds.orderId('500002'))).executeTakeFirstOrThrow();
    expect(guest.customer_key).toBeNull();
    const refunded = await t.db.selectFrom('refund_line_items').select(['quantity', 'subtotal_minor']).where('shop', '=', SHOP).where('order_id', '=', order.id).execute();
    expect(refunded).toEqual([
      { quantity: 5, subtotal_minor: 3475 },
      { quantity: 5, subtotal_minor: 3475 },
    ]);
    const ball = await t.db.selectFrom('products').selectAll().where('shop', '=', SHOP).where('id', '=', String(catalogIds.productId('85048'))).executeTakeFirstOrThrow();
    expect(ball).toMatchObject({ title: 'NEW TITLE GLASS BALL', available: true, min_price: '7.250000' });
  });
});
