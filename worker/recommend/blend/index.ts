/** Helpers shared by the placement blends: score normalisation, weight grids, per-user caches. */
export { maxOver, scaleToUnitMax } from './normalise';
export { bestOnGrid, gridOf, type GridSearchResult } from './grid-search';
export { cachedUserVectors, type UserVector } from './user-vector-cache';
