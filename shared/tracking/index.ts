/**
 * What follows a recommended product from the block to the order: the signed recommendation
 * token, the line-item property that carries it, and the storefront events' shapes.
 */
export {
  recommendationTokenKey,
  recommendationTokenKeys,
  signRecommendationToken,
  verifyRecommendationToken,
  TOKEN_PLACEMENTS,
  type RecommendationToken,
  type Sponsorship,
  type TokenPlacement,
  type TokenVerification,
  type VerifyTokenOptions,
} from './recommendation-token';
export { TOKEN_PROPERTY, TOKEN_URL_PARAM } from './carriers';
export {
  storefrontEvent,
  storefrontEventsBody,
  parseStorefrontEvent,
  parseStorefrontEventsBody,
  STOREFRONT_EVENT_TYPES, MAX_EVENTS_PER_REQUEST,
  type StorefrontEventsBody,
  type StorefrontEventInput,
  type StorefrontEventType,
} from './event-schema';
export {
  storefrontEventEntry,
  storefrontEventKey,
  storefrontEventStreamKey,
  storefrontEventDeadLetterKey,
  encodeStreamEntry,
  decodeStreamEntry,
  STOREFRONT_EVENTS_TAG,
  STOREFRONT_EVENTS_GROUP,
  STREAM_ENTRY_FIELD,
  type StorefrontEventEntry,
  type DecodedStreamEntry,
} from './event-stream';
