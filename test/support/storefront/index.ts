/** A local Shopify storefront for browser tests of the theme app extension. */
export { startStorefront, type Storefront, type StorefrontOptions } from './storefront-server';
export { StorefrontCatalog, type StorefrontProduct, type StorefrontShop } from './storefront-catalog';
export type { CartLine, Cart } from './cart-store';
export type { ProxiedRequest } from './app-proxy';
export { sentEvents, type SentEvent } from './sent-events';
export { appBlock, cardLinks, cardPrices, cardTitles, cardToken } from './block-cards';
export { formatMoney } from './money-format';
export { seedStore } from './seed-store';
export { openShopper, type Shopper } from './shopper-browser';
export { storedEvents, eventCounts, receiptIds, countOf } from './storefront-events';
export { TEA_SHOP, TEA_SHOP_PRODUCTS, TEA_SHOP_LISTS, TEA_SHOP_MODEL_VERSION, TEAPOT, MUG, DRAFT_KETTLE } from './tea-shop';
export { afterLayout, scrollJustAbove, scrollToY, firePagehide, imagesSettled, shelfwiseStorageKeys, tellObserversInReverse } from './in-page';
