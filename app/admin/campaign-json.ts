import { fromMinorUnits } from '../../shared/money';
import type { Campaign, SponsoredSettings } from '../../shared/sponsored';

const money = (minor: number, currency: string) => fromMinorUnits(minor, currency);

/** A campaign as the admin API answers it: money as decimal strings and `_minor` integers, ids as strings. */
export function campaignJson(campaign: Campaign, { withProducts }: { withProducts: boolean }) {
  const c = campaign.currency;
  return {
    id: campaign.id,
    name: campaign.name,
    vendor: campaign.vendor,
    advertiser: campaign.advertiser,
    status: campaign.status,
    currency: c,
    max_cpc: money(campaign.maxCpcMinor, c),
    max_cpc_minor: campaign.maxCpcMinor,
    daily_budget: money(campaign.dailyBudgetMinor, c),
    daily_budget_minor: campaign.dailyBudgetMinor,
    total_budget: money(campaign.totalBudgetMinor, c),
    total_budget_minor: campaign.totalBudgetMinor,
    spent_total: money(campaign.spentTotalMinor, c),
    spent_total_minor: campaign.spentTotalMinor,
    spent_today: money(campaign.spentTodayMinor, c),
    spent_today_minor: campaign.spentTodayMinor,
    starts_at: campaign.startsAt.toISOString(),
    ends_at: campaign.endsAt?.toISOString() ?? null,
    placements: campaign.placements,
    product_count: campaign.productCount,
    ...(withProducts ? { product_ids: campaign.productIds } : {}),
    created_at: campaign.createdAt.toISOString(),
    updated_at: campaign.updatedAt.toISOString(),
  };
}

export function settingsJson(settings: SponsoredSettings & { updatedAt: Date | null }, currency: string) {
  return {
    relevance_threshold: settings.relevanceThreshold,
    reserve: money(settings.reserveMinor, currency),
    reserve_minor: settings.reserveMinor,
    currency,
    slots_per_block: settings.slotsPerBlock,
    frequency_cap_per_day: settings.frequencyCapPerDay,
    updated_at: settings.updatedAt?.toISOString() ?? null,
  };
}
