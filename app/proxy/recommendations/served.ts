import type { StorefrontPlacement } from '../../../shared/storefront';
import type { CatalogProduct } from './catalog';
import type { CandidateSource } from './rank';

/** One answer of the recommendations endpoint, before it is written as JSON or Liquid. */
export interface ServedRecommendations {
  placement: StorefrontPlacement;
  impressionId: string;
  modelVersion: string | null;
  source: CandidateSource;
  products: Array<{ product: CatalogProduct; reason: string; token: string; /** A sponsored slot's campaign. */ campaignId?: string }>;
}
