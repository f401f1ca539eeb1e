/** The storefront blocks' placements (docs/storefront.md), as the proxy and merchant rules name them. */
export const STOREFRONT_PLACEMENTS = ['related', 'fbt', 'for_you', 'cart'] as const;
export type StorefrontPlacement = (typeof STOREFRONT_PLACEMENTS)[number];
