import { fromMinorUnits } from '../money';
import type { InvoiceSummary, ProductAggregate } from './catalog-plan';
import { customerId, lineItemId, orderId, productId, variantId } from './ids';
import { RETAIL_CURRENCY } from './parse-row';
import { isProductCode, type RetailRow } from './retail-row';
import { shopLocalTimestamp } from './shop-time';
import type { OrderWebhookPayload } from './shopify-payloads';

const money = (minor: number) => fromMinorUnits(minor, RETAIL_CURRENCY);

/**
 * An invoice as an orders/create payload. Every kept line becomes a line item, in file order;
 * postage, fees and manual lines (stock codes not starting with five digits) are kept as
 * custom line items with no product, so the order total is the invoice total. No tax, no
 * shipping lines, no discounts: the data has none apart from such lines. Sums are exact, in pence.
 */
export function orderPayload(
  invoice: InvoiceSummary,
  rows: readonly RetailRow[],
  products: ReadonlyMap<string, ProductAggregate>,
): OrderWebhookPayload {
  const createdAt = shopLocalTimestamp(invoice.createdLocal);
  let subtotal = 0;
  const lineItems = rows.map((row, index) => {
    subtotal += row.quantity * row.unitPriceMinor;
    const product = isProductCode(row.stockCode);
    return {
      id: lineItemId(invoice.invoice, index + 1),
      product_id: product ? productId(row.stockCode) : null,
      variant_id: product ? variantId(row.stockCode) : null,
      title: row.description || products.get(row.stockCode)?.title || row.stockCode,
      sku: row.stockCode,
      quantity: row.quantity,
      price: money(row.unitPriceMinor),
      total_discount: '0.00',
      properties: [],
    };
  });
  if (!Number.isSafeInteger(subtotal)) throw new RangeError(`invoice ${invoice.invoice} total is out of range`);
  return {
    id: orderId(invoice.invoice),
    name: `#${invoice.invoice}`,
    order_number: Number(invoice.invoice),
    created_at: createdAt,
    updated_at: createdAt,
    processed_at: createdAt,
    currency: RETAIL_CURRENCY,
    presentment_currency: RETAIL_CURRENCY,
    total_price: money(subtotal),
    subtotal_price: money(subtotal),
    current_total_price: money(subtotal),
    total_discounts: '0.00',
    total_tax: '0.00',
    financial_status: 'paid',
    cancelled_at: null,
    customer: invoice.customerId ? { id: customerId(invoice.customerId) } : null,
    test: false,
    note_attributes: [],
    line_items: lineItems,
    refunds: [],
  };
}
