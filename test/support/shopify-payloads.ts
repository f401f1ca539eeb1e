/** Shopify-shaped REST webhook payloads for tests, with fields as the documentation shows them. */

export function productPayload(overrides: Record<string, unknown> = {}) {
  const id = (overrides.id as number) ?? 1001;
  return {
    id,
    title: 'Enamel Mug',
    body_html: '<p>A <strong>sturdy</strong> mug &amp; saucer</p>',
    vendor: 'Acme Homeware',
    product_type: 'Kitchen',
    handle: `enamel-mug-${id}`,
    status: 'active',
    tags: 'kitchen, gift',
    published_at: '2024-01-01T09:00:00+00:00',
    created_at: '2024-01-01T09:00:00+00:00',
    updated_at: '2024-01-02T09:00:00+00:00',
    image: { src: `https://cdn.example/mug-${id}.jpg` },
    variants: [
      {
        id: id * 10 + 1,
        product_id: id,
        title: 'Default Title',
        sku: `MUG-${id}`,
        price: '6.95',
        compare_at_price: null,
        inventory_quantity: 5,
        inventory_policy: 'deny',
        inventory_management: 'shopify',
        position: 1,
      },
    ],
    ...overrides,
  };
}

export function orderPayload(overrides: Record<string, unknown> = {}) {
  const id = (overrides.id as number) ?? 5001;
  return {
    id,
    name: `#${id}`,
    created_at: '2024-02-01T10:00:00+00:00',
    updated_at: '2024-02-01T10:00:00+00:00',
    processed_at: '2024-02-01T10:00:00+00:00',
    currency: 'GBP',
    presentment_currency: 'GBP',
    total_price: '20.85',
    current_total_price: '20.85',
    subtotal_price: '20.85',
    total_discounts: '0.00',
    financial_status: 'paid',
    cancelled_at: null,
    customer: { id: 777, email: 'shopper@example.com', first_name: 'Ada' },
    cart_token: 'cart-1',
    checkout_token: 'checkout-1',
    landing_site: '/products/enamel-mug',
    note_attributes: [{ name: '_shelfwise_visitor', value: 'v1' }],
    test: false,
    line_items: [
      {
        id: id * 10 + 1,
        product_id: 1001,
        variant_id: 10011,
        title: 'Enamel Mug',
        quantity: 3,
        price: '6.95',
        total_discount: '0.00',
        properties: [{ name: '_shelfwise', value: 'tok-abc' }],
      },
    ],
    refunds: [],
    ...overrides,
  };
}

export function refundPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: 9001,
    order_id: 5001,
    created_at: '2024-02-03T10:00:00+00:00',
    refund_line_items: [
      {
        id: 90011,
        line_item_id: 50011,
        quantity: 1,
        subtotal: '6.95',
        subtotal_set: { shop_money: { amount: '6.95', currency_code: 'GBP' } },
      },
    ],
    transactions: [],
    ...overrides,
  };
}
