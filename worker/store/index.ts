export type { ProductRecord, VariantRecord, OrderRecord, LineItemRecord, RefundRecord } from './records';
export { upsertProduct, markProductDeleted, productAvailable, variantAvailable, type UpsertOutcome } from './products';
export { upsertOrder } from './orders';
export { applyRefund } from './refunds';
export { markShopUninstalled } from './shops';
