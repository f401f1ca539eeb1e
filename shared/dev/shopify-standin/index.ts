export { startShopifyStandin, type ShopifyStandin, type ShopifyStandinOptions } from './server';
export { StandinState, type StandinShop, type WebhookSubscription, type RecordedCall, type RecordedDelivery } from './state';
export { productNode, orderNode, sampleCatalog, type ProductInput, type OrderInput, type VariantInput, type LineItemInput } from './catalog';
export { routeAdminApiTo } from '../../shopify/route-admin-api';
export { signAdminQuery, signWebhookBody } from './signing';
export type { ProductNode, OrderNode, VariantNode, LineItemNode } from './graph';
