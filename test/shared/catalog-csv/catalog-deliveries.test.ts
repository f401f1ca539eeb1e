import { catalogIds, openRetailCatalog, type CatalogDelivery, type OrderWebhookPayload, type ProductWebhookPayload, type RefundWebhookPayload } from '../../../shared/catalog-csv';
import { toMinorUnits } from '../../../shared/money';
import { BAD_ROWS_CSV, FIRST_5000, FIRST_5000_GZ } from './fixtures';

async function deliveriesOf(file: string, limit?: number) {
  const catalog = await openRetailCatalog({ path: file, limit });
  const all: CatalogDelivery[] = [];
  for await (const d of catalog.deliveries()) all.push(d);
  const of = <T>(topic: string) => all.filter((d) => d.topic === topic).map((d) => d.payload as T);
  return {
    catalog,
    all,
    products: of<ProductWebhookPayload>('products/create'),
    orders: of<OrderWebhookPayload>('orders/create'),
    refunds: of<RefundWebhookPayload>('refunds/create'),
  };
}

const pence = (amount: string) => toMinorUnits(amount, 'GBP');

describe('Online Retail II → Shopify payloads (hand-made fixture)', () => {
  let run: Awaited<ReturnType<typeof deliveriesOf>>;
  beforeAll(async () => {
    run = await deliveriesOf(BAD_ROWS_CSV);
  });

  it('sends every product before the first order, then orders and refunds in shop time order', () => {
    const topics = run.all.map((d) => d.topic);
    expect(topics.lastIndexOf('products/create')).toBeLessThan(topics.indexOf('orders/create'));
    expect(run.all.filter((d) => d.topic !== 'products/create').map((d) => `${d.topic} ${(d.payload as { name?: string; note?: string }).name ?? (d.payload as { note?: string }).note}`)).toEqual([
      'orders/create #500010',
      'orders/create #500001',
      'orders/create #500002',
      'refunds/create Cancellation C500005',
      'refunds/create Cancellation C500014',
      'orders/create #500009',
      'orders/create #500013',
    ]);
  });

  it('makes one product per five-digit stock code, titled and priced by its latest sale', () => {
    expect(run.products.map((p) => p.variants[0]!.sku).sort()).toEqual(['21232', '22041', '79323P', '85048']);
    const ball = run.products.find((p) => p.variants[0]!.sku === '85048')!;
    // 500009 (July) is the latest sale even though 500010 (May) comes later in the file.
    expect(ball).toMatchObject({ id: catalogIds.productId('85048'), title: 'NEW TITLE GLASS BALL', handle: 'new-title-glass-ball-85048', tags: '', status: 'active' });
    expect(ball.variants[0]).toMatchObject({ id: catalogIds.variantId('85048'), product_id: ball.id, price: '7.25', inventory_management: null });
    expect(ball.created_at).toBe('2010-05-01T09:00:00+01:00');
    expect(ball.updated_at).toBe('2010-07-01T09:00:00+01:00');
    // Only ever given away, never described: the stock code names it and the price is zero.
    const trinket = run.products.find((p) => p.variants[0]!.sku === '21232')!;
    expect([trinket.title, trinket.variants[0]!.price]).toEqual(['21232', '0.00']);
  });

  it('groups an invoice whose lines are not together, keeps postage as a line with no product, and sums exactly', () => {
    const order = run.orders.find((o) => o.name === '#500001')!;
    expect(order.line_items.map((li) => [li.sku, li.quantity, li.price, li.product_id])).toEqual([
      ['85048', 12, '6.95', catalogIds.productId('85048')],
      ['79323P', 2, '6.75', catalogIds.productId('79323P')],
      ['POST', 1, '18.00', null],
      ['85048', 1, '6.95', catalogIds.productId('85048')],
    ]);
    expect([order.subtotal_price, order.total_price, order.current_total_price, order.total_discounts]).toEqual(['121.85', '121.85', '121.85', '0.00']);
    expect(order).toMatchObject({ currency: 'GBP', presentment_currency: 'GBP', financial_status: 'paid', cancelled_at: null, test: false, created_at: '2010-06-01T09:30:00+01:00' });
    expect(order.customer).toEqual({ id: catalogIds.customerId('13085') });
    for (const o of run.orders) {
      const sum = o.line_items.reduce((s, li) => s + li.quantity * pence(li.price), 0);
      expect(pence(o.total_price)).toBe(sum);
    }
  });

  it('leaves guest orders without a customer and reads float customer ids as integers', () => {
    expect(run.orders.find((o) => o.name === '#500002')!.customer).toBeNull();
    expect(run.orders.find((o) => o.name === '#500013')!.customer).toEqual({ id: catalogIds.customerId('12346') });
  });

  it('turns a cancellation into a refund of the matching earlier line, merging lines, at the original price', () => {
    const order = run.orders.find((o) => o.name === '#500001')!;
    const [first, second] = run.refunds;
    expect(first).toMatchObject({ order_id: order.id, id: catalogIds.refundId('C500005', '500001'), created_at: '2010-06-02T12:00:00+01:00' });
    expect(first!.refund_line_items).toEqual([
      expect.objectContaining({ line_item_id: order.line_items[0]!.id, quantity: 5, subtotal: '34.75', subtotal_set: expect.objectContaining({ shop_money: { amount: '34.75', currency_code: 'GBP' } }) }),
    ]);
    // C500014 cancels 2 then 3: line 4 (1 unit) is too small, so both come off line 1, as one refund line.
    expect(second!.refund_line_items).toEqual([expect.objectContaining({ line_item_id: order.line_items[0]!.id, quantity: 5, subtotal: '34.75' })]);
  });

  it('reports the lines that became nothing, by reason, with their line numbers', () => {
    const { byReason, total } = run.catalog.plan.skips.summary();
    const lines = Object.fromEntries(Object.entries(byReason).map(([reason, r]) => [reason, r.firstLines]));
    expect(lines).toEqual({
      bad_customer_id: [11],
      bad_date: [8],
      bad_price: [9, 10],
      bad_quantity: [7, 23],
      cancellation_guest: [17],
      cancellation_no_original: [16],
      cancellation_positive_quantity: [18],
      malformed_csv: [22],
      missing_invoice: [6],
      missing_stock_code: [12],
      stock_adjustment: [13],
      unknown_invoice_type: [19],
    });
    expect(total).toBe(14);
    expect(run.catalog.counts).toEqual({ rowsRead: 25, rowsKept: 12, products: 4, orders: 5, cancellations: 2, customers: 3 });
  });

  it('names everything the same on every run: ids, webhook ids and payloads are deterministic', async () => {
    const again = await deliveriesOf(BAD_ROWS_CSV);
    expect(again.all).toEqual(run.all);
    const webhookIds = new Set(run.all.map((d) => d.webhookId));
    expect(webhookIds.size).toBe(run.all.length);
    const lineIds = run.orders.flatMap((o) => o.line_items.map((li) => li.id));
    expect(new Set(lineIds).size).toBe(lineIds.length);
    for (const id of [...lineIds, ...run.orders.map((o) => o.id)]) expect(Number.isSafeInteger(id)).toBe(true);
  });
});

describe('Online Retail II → Shopify payloads (first 5,000 lines of the real file)', () => {
  it('gives the independently computed counts and totals', async () => {
    const run = await deliveriesOf(FIRST_5000_GZ);
    expect(run.catalog.counts).toMatchObject({
      rowsRead: FIRST_5000.rowsRead,
      products: FIRST_5000.products,
      orders: FIRST_5000.orders,
      cancellations: FIRST_5000.cancellationInvoices,
      customers: FIRST_5000.customers,
    });
    expect(run.products).toHaveLength(FIRST_5000.products);
    expect(run.orders).toHaveLength(FIRST_5000.orders);
    expect(run.orders.reduce((n, o) => n + o.line_items.length, 0)).toBe(FIRST_5000.lineItems);
    expect(run.orders.reduce((sum, o) => sum + pence(o.total_price), 0)).toBe(FIRST_5000.totalMinor);
    expect(run.refunds).toHaveLength(FIRST_5000.refunds);
    expect(run.refunds.reduce((n, r) => n + r.refund_line_items.length, 0)).toBe(FIRST_5000.refundLineItems);
    expect(run.catalog.plan.skips.summary().byReason.stock_adjustment?.count).toBe(FIRST_5000.stockAdjustments);
    const created = run.orders.map((o) => new Date(o.created_at).getTime());
    expect(created).toEqual([...created].sort((a, b) => a - b));
    // Every refund points at an order sent before it and at one of that order's line items.
    for (const refund of run.refunds) {
      const order = run.orders.find((o) => o.id === refund.order_id)!;
      expect(new Date(order.created_at).getTime()).toBeLessThanOrEqual(new Date(refund.created_at).getTime());
      for (const rli of refund.refund_line_items) expect(order.line_items.map((li) => li.id)).toContain(rli.line_item_id);
    }
  });
});
