export { SponsoredSlots, MAX_SPONSORED_BLOCK_PRODUCTS, SPEND_REFRESH_MS, type SponsoredPick, type SponsoredRequest } from './sponsored-slots';
export { frequencyCaps, type FrequencyCaps } from './frequency-cap';
export { relevanceScorer, type RelevanceContext } from './relevance';
export { DEFAULT_SPONSORED_SETTINGS, type CampaignBook, type SponsoredPlacement, type SponsoredSettings } from './campaign-book';
export { interleave, sponsoredCount, sponsoredPositions } from './placement';
