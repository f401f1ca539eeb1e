import { createHash } from 'node:crypto';

/**
 * Shopify-like numeric ids derived from what a thing is in the file, never from a counter or
 * the clock: replaying or importing the same file twice names every product, order, line and
 * refund the same, so the store's upserts make the second run a no-op.
 *
 * 48 bits of SHA-256 above 10^15 give 16-digit ids, safe integers in JSON and in JavaScript;
 * the kind is hashed in, so a product and an order never share an id.
 */
export function catalogId(kind: string, ...parts: string[]): number {
  const digest = createHash('sha256').update([kind, ...parts].join('\u0000')).digest();
  return 1e15 + digest.readUIntBE(0, 6);
}

export const productId = (stockCode: string) => catalogId('product', stockCode);
export const variantId = (stockCode: string) => catalogId('variant', stockCode);
export const customerId = (retailCustomerId: string) => catalogId('customer', retailCustomerId);
export const orderId = (invoice: string) => catalogId('order', invoice);
/** Line items are numbered by their position among the invoice's kept lines (1-based). */
export const lineItemId = (invoice: string, position: number) => catalogId('line_item', invoice, String(position));
/** One refund per cancellation invoice and original order it refunds. */
export const refundId = (cancellation: string, originalInvoice: string) => catalogId('refund', cancellation, originalInvoice);
export const refundLineItemId = (cancellation: string, lineItem: number) =>
  catalogId('refund_line_item', cancellation, String(lineItem));

/** A UUID-shaped id from a name, for webhook and event ids that must repeat across runs. */
export function namedUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Version 5-style layout (name-based) so the value reads as a UUID to anything that checks.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
