/**
 * A Shopify storefront in miniature for development and browser tests: product and cart pages
 * rendered with liquidjs from a small theme and the theme app extension's blocks, the Ajax cart,
 * Shopify's signed app proxy, the extension's assets and product images. `shelfwise demo` serves
 * it for the development shop; the browser tests drive it in Chromium.
 */
export { startStorefront, type Storefront, type StorefrontOptions } from './storefront-server';
export { StorefrontCatalog, type StorefrontProduct, type StorefrontShop } from './storefront-catalog';
export type { CartLine, Cart } from './cart-store';
export type { ProxiedRequest } from './app-proxy';
export { appBlockSelector } from './theme-page';
export { formatMoney } from './money-format';
export { startDevStorefront, DEV_LAYOUT, type DevStorefront, type DevStorefrontOptions } from './dev-storefront';
export { checkoutOrderPayload, type CheckoutOrderPayload } from './checkout-order';
export type { PlacedOrder } from './checkout-routes';
export { listenPreferring, portIsFree } from './preferred-port';
