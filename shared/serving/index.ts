/**
 * Published recommendation lists in Redis: the key layout the training worker writes and the one
 * read the storefront makes.
 */
export { SERVING_PLACEMENTS, VERSION_PARTS, servingKeys, versionKeys, type ServingPlacement, type VersionPart } from './keys';
export { readStorefrontLists, type FallbackLists, type StorefrontLists, type StorefrontListsRequest } from './read-storefront-lists';
export { readServingList, readServingLists, type ReadServingListOptions, type ServingKeyLists, type ServingList } from './read-serving-list';
export { LuaScript } from './scripts';
export { mergeCartLists, PUBLISHED_LIST_LENGTH } from './merge-cart-lists';
export { deleteServing } from './delete-serving';
