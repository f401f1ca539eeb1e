export { startShopifyStandin, type ShopifyStandin, type ShopifyStandinOptions } from './server';
export { StandinState, type StandinShop, type WebhookSubscription, type RecordedCall, type RecordedDelivery } from './state';
export {
  productNode,
  orderNode,
  collectionRecord,
  sampleCatalog,
  type ProductInput,
  type OrderInput,
  type VariantInput,
  type LineItemInput,
  type CollectionInput,
} from './catalog';
export { BULK_QUERY_LIMITS } from './bulk-operations';
export { routeAdminApiTo } from '../../shopify/route-admin-api';
export { signAdminQuery, signWebhookBody } from './signing';
export type { ProductNode, OrderNode, VariantNode, LineItemNode, CollectionRecord } from './graph';
