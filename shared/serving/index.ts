/**
 * Published recommendation lists in Redis: the key layout the training worker writes and the one
 * read the storefront makes.
 */
export { SERVING_PLACEMENTS, servingKeys, versionKeys, type ServingPlacement } from './keys';
export { readServingList, readServingLists, type ReadServingListOptions, type ServingKeyLists, type ServingList } from './read-serving-list';
export { LuaScript } from './scripts';
export { mergeCartLists, PUBLISHED_LIST_LENGTH } from './merge-cart-lists';
export { deleteServing } from './delete-serving';
