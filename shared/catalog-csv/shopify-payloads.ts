/**
 * The REST Admin webhook payloads the replay sends, in the shapes Shopify documents for
 * products/create, orders/create and refunds/create (only the fields the app reads and a few
 * that make them look whole). Ids are JSON numbers and money is decimal strings, as Shopify sends.
 */

export interface VariantWebhookPayload {
  id: number;
  product_id: number;
  title: string;
  price: string;
  compare_at_price: string | null;
  sku: string;
  position: number;
  inventory_quantity: number;
  inventory_policy: 'deny' | 'continue';
  inventory_management: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProductWebhookPayload {
  id: number;
  title: string;
  body_html: string;
  vendor: string;
  product_type: string;
  handle: string;
  status: 'active';
  tags: string;
  published_at: string;
  created_at: string;
  updated_at: string;
  variants: VariantWebhookPayload[];
  images: Array<{ id: number; src: string; position: number }>;
}

export interface LineItemWebhookPayload {
  id: number;
  product_id: number | null;
  variant_id: number | null;
  title: string;
  sku: string;
  quantity: number;
  price: string;
  total_discount: string;
  properties: Array<{ name: string; value: string }>;
}

export interface OrderWebhookPayload {
  id: number;
  name: string;
  order_number: number;
  created_at: string;
  updated_at: string;
  processed_at: string;
  currency: string;
  presentment_currency: string;
  total_price: string;
  subtotal_price: string;
  current_total_price: string;
  total_discounts: string;
  total_tax: string;
  financial_status: 'paid';
  cancelled_at: null;
  customer: { id: number } | null;
  test: false;
  note_attributes: Array<{ name: string; value: string }>;
  line_items: LineItemWebhookPayload[];
  refunds: RefundWebhookPayload[];
}

export interface MoneySet {
  shop_money: { amount: string; currency_code: string };
  presentment_money: { amount: string; currency_code: string };
}

export interface RefundWebhookPayload {
  id: number;
  order_id: number;
  created_at: string;
  processed_at: string;
  note: string;
  restock: boolean;
  refund_line_items: Array<{
    id: number;
    line_item_id: number;
    quantity: number;
    restock_type: 'cancel';
    subtotal: string;
    subtotal_set: MoneySet;
  }>;
  transactions: [];
}
