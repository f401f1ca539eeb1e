/**
 * The development store's data: an Online Retail II layout CSV read as a stream and turned
 * into the Shopify webhook payloads a real store would have sent. `shelfwise replay` POSTs
 * them to the app; `shelfwise import` hands them to the ingest processor directly.
 *
 * Mapping decisions (each explained where it is made):
 * - product = stock code starting with five digits (upper-cased); title and price from its
 *   latest sale; vendor and type left empty (the data has none); stock untracked.
 * - postage, fees and manual codes stay on their orders as line items without a product,
 *   so order totals equal invoice totals.
 * - order = numeric invoice; created_at is the earliest line's time in Europe/London.
 * - `C` invoice = refunds of the same customer's most recent earlier order(s) that bought those
 *   codes with enough units left; guest cancellations and unmatched lines are skipped.
 * - negative quantities on ordinary invoices are stock write-offs and are skipped.
 * - ids are hashes of what a thing is in the file, so every run names everything the same.
 */
export { readRetailRows, type ReadRetailRowsOptions } from './read-rows';
export { parseRetailRecord, RETAIL_COLUMNS, RETAIL_CURRENCY } from './parse-row';
export { isProductCode, isCancellationInvoice, type RetailRow, type RowOutcome, type SkipReason, type SkippedRow } from './retail-row';
export { SkipReport, type SkipSummary } from './skip-report';
export { planCatalog, type CatalogPlan, type InvoiceSummary, type ProductAggregate } from './catalog-plan';
export { productPayload, productHandle } from './product-payload';
export { orderPayload } from './order-payload';
export { orderEvents, type OrderEvent } from './order-events';
export { openRetailCatalog, type CatalogDelivery, type CatalogCounts, type RetailCatalog } from './catalog-deliveries';
export { shopLocalTimestamp, RETAIL_TIME_ZONE } from './shop-time';
export * as catalogIds from './ids';
export type * from './shopify-payloads';
