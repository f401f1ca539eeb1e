/**
 * One blend per storefront placement, its weights chosen on the validation window (the contract
 * is in contract.ts); the training pipeline and `shelfwise eval` use these and nothing else.
 */
export { PLACEMENTS, usesTensorFlow, type BlendChoice, type CatalogProduct, type Placement, type PlacementBlend } from './contract';
export { forYouBlend } from './for-you';
export { cartBlend, productBlend } from './item-to-item';
export { trendingScores } from './trending';
export { coldProductLists } from './cold-start';
