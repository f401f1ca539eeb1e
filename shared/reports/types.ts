import type { Lift } from '../holdout';
import type { ReportRange } from './range';
import type { ReportRules } from './rules';

/** What every report carries (docs/reports.md). Money: integer minor units of `currency`. */
export interface ReportHead {
  range: ReportRange;
  /** The shop's ISO 4217 currency. */
  currency: string;
  rules: ReportRules;
}

export interface OverviewTotals {
  storeOrders: number;
  storeRevenueMinor: number;
  attributedOrders: number;
  attributedRevenueMinor: number;
  attributedShare: number | null;
  recommendationRevenueMinor: number;
  sponsoredRevenueMinor: number;
  aovWithRecommendationMinor: number | null;
  aovWithoutRecommendationMinor: number | null;
  impressions: number;
  clicks: number;
  ctr: number | null;
  clickToOrder: number | null;
}

export interface OverviewDay {
  day: string;
  storeRevenueMinor: number;
  attributedRevenueMinor: number;
  attributedOrders: number;
  impressions: number;
  clicks: number;
}

export interface OverviewReport extends ReportHead {
  totals: OverviewTotals;
  lift: Lift;
  series: OverviewDay[];
}

export interface PlacementRow {
  placement: string;
  sponsored: boolean;
  impressions: number;
  clicks: number;
  addToCarts: number;
  ctr: number | null;
  attributedOrders: number;
  attributedLineItems: number;
  attributedRevenueMinor: number;
  clickToOrder: number | null;
}

export interface PlacementsReport extends ReportHead {
  rows: PlacementRow[];
}

export interface ModelRow {
  modelVersion: string;
  /** ISO time; null when the version is not (or no longer) in model_versions. */
  createdAt: string | null;
  status: string | null;
  serving: boolean;
  model: string | null;
  /** The offline metrics recorded at training (model_versions.metrics). */
  metrics: unknown;
  impressions: number;
  clicks: number;
  ctr: number | null;
  attributedOrders: number;
  attributedRevenueMinor: number;
}

export interface ModelsReport extends ReportHead {
  rows: ModelRow[];
}

export interface CampaignRow {
  campaignId: string;
  name: string;
  vendor: string;
  status: string;
  impressions: number;
  clicks: number;
  ctr: number | null;
  chargedClicks: number;
  spendMinor: number;
  attributedOrders: number;
  attributedSalesMinor: number;
  roas: number | null;
  acos: number | null;
  dailyBudgetMinor: number;
  totalBudgetMinor: number;
  spentTotalMinor: number;
  budgetBurn: number | null;
}

export interface CampaignsReport extends ReportHead {
  rows: CampaignRow[];
}

export interface CampaignDay {
  day: string;
  impressions: number;
  clicks: number;
  spendMinor: number;
  attributedOrders: number;
  attributedSalesMinor: number;
}

export interface CampaignReport extends ReportHead {
  campaign: CampaignRow;
  series: CampaignDay[];
}

export interface VendorRow {
  vendor: string;
  campaigns: number;
  impressions: number;
  clicks: number;
  chargedClicks: number;
  spendMinor: number;
  attributedOrders: number;
  attributedSalesMinor: number;
  roas: number | null;
  acos: number | null;
}

export interface VendorsReport extends ReportHead {
  rows: VendorRow[];
}

export interface StatementCharge {
  ledgerId: string;
  chargeKey: string;
  /** ISO time of the click the ledger row charged. */
  chargedAt: string;
  campaignId: string;
  campaignName: string;
  productId: string;
  productTitle: string | null;
  placement: string;
  amountMinor: number;
}

export interface StatementSale {
  orderId: string;
  orderName: string | null;
  lineItemId: string;
  productId: string;
  productTitle: string | null;
  /** ISO time of the order. */
  orderedAt: string;
  netMinor: number;
  source: string;
  campaignId: string;
  /** `<impression_id>:<product_id>` when the ledger has that charge key, else null (e.g. view-through). */
  chargeKey: string | null;
}

export interface VendorStatement {
  vendor: string;
  /** `YYYY-MM` (UTC). */
  month: string;
  currency: string;
  rules: ReportRules;
  charges: StatementCharge[];
  sales: StatementSale[];
  totals: { chargedClicks: number; spendMinor: number; attributedOrders: number; attributedSalesMinor: number; roas: number | null };
}
