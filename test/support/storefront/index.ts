/**
 * Test helpers around the local storefront (shared/dev/storefront): a shopper's Chromium, the
 * blocks' cards, what the blocks sent and what the worker stored, and the tea shop's fixtures.
 */
export { sentEvents, type SentEvent } from './sent-events';
export { appBlock, cardLinks, cardPrices, cardTitles, cardToken } from './block-cards';
export { seedStore } from './seed-store';
export { openShopper, type Shopper } from './shopper-browser';
export { storedEvents, eventCounts, receiptIds, countOf } from './storefront-events';
export { TEA_SHOP, TEA_SHOP_PRODUCTS, TEA_SHOP_LISTS, TEA_SHOP_MODEL_VERSION, TEAPOT, MUG, DRAFT_KETTLE } from './tea-shop';
export { afterLayout, scrollJustAbove, scrollToY, firePagehide, imagesSettled, shelfwiseStorageKeys, tellObserversInReverse } from './in-page';
