import type { PacingSchedule } from '../../../shared/sponsored';
import type { StorefrontPlacement } from '../../../shared/storefront';

/** Where a campaign can bid: a recommendation block's placement, or the Sponsored products block. */
export type SponsoredPlacement = StorefrontPlacement | 'sponsored';

/** A campaign as the auction reads it (amounts in minor units). */
export interface BookCampaign {
  id: string;
  vendor: string;
  maxCpcMinor: number;
  dailyBudgetMinor: number;
  totalBudgetMinor: number;
  /** Epoch ms; endsAt null: open-ended. */
  startsAt: number;
  endsAt: number | null;
  placements: ReadonlySet<string>;
  productIds: readonly string[];
}

/** The shop's auction settings (docs/sponsored.md defaults when it saved none). */
export interface SponsoredSettings {
  relevanceThreshold: number;
  reserveMinor: number;
  slotsPerBlock: number;
  frequencyCapPerDay: number;
}

export const DEFAULT_SPONSORED_SETTINGS: SponsoredSettings = { relevanceThreshold: 0.3, reserveMinor: 5, slotsPerBlock: 1, frequencyCapPerDay: 6 };

/**
 * A shop's sponsored business in memory, as loaded: the active campaigns, the settings, and the
 * observed sponsored impressions and clicks per product (last 30 days) the quality estimate uses.
 */
export interface CampaignBook {
  settings: SponsoredSettings;
  campaigns: readonly BookCampaign[];
  observed: ReadonlyMap<string, { impressions: number; clicks: number }>;
  /** The share of a UTC day's traffic expected by each moment: what pacing spreads spend along. */
  schedule: PacingSchedule;
}

/** Spend as of the last read: today's per campaign, and the campaigns still active with their total. */
export interface SpendSnapshot {
  day: string;
  today: ReadonlyMap<string, number>;
  /** Active campaigns' total spend; a campaign missing here is no longer active (paused, exhausted). */
  total: ReadonlyMap<string, number>;
}
