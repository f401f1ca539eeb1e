import type { CampaignDay, CampaignRow, ModelRow, OverviewDay, PlacementRow, StatementCharge, StatementSale, VendorRow } from '../../shared/reports';
import type { CsvColumn } from './csv';

/** The CSV columns of each report table (docs/reports.md, CSV). */
export const overviewColumns: Array<CsvColumn<OverviewDay>> = [
  { header: 'day', value: (r) => r.day },
  { header: 'store_revenue', value: (r) => r.storeRevenueMinor, money: true },
  { header: 'attributed_revenue', value: (r) => r.attributedRevenueMinor, money: true },
  { header: 'attributed_orders', value: (r) => r.attributedOrders },
  { header: 'impressions', value: (r) => r.impressions },
  { header: 'clicks', value: (r) => r.clicks },
];

export const placementColumns: Array<CsvColumn<PlacementRow>> = [
  { header: 'placement', value: (r) => r.placement },
  { header: 'sponsored', value: (r) => r.sponsored },
  { header: 'impressions', value: (r) => r.impressions },
  { header: 'clicks', value: (r) => r.clicks },
  { header: 'add_to_carts', value: (r) => r.addToCarts },
  { header: 'ctr', value: (r) => r.ctr },
  { header: 'attributed_orders', value: (r) => r.attributedOrders },
  { header: 'attributed_line_items', value: (r) => r.attributedLineItems },
  { header: 'attributed_revenue', value: (r) => r.attributedRevenueMinor, money: true },
  { header: 'click_to_order', value: (r) => r.clickToOrder },
];

export const modelColumns: Array<CsvColumn<ModelRow>> = [
  { header: 'model_version', value: (r) => r.modelVersion },
  { header: 'created_at', value: (r) => r.createdAt },
  { header: 'status', value: (r) => r.status },
  { header: 'serving', value: (r) => r.serving },
  { header: 'model', value: (r) => r.model },
  { header: 'impressions', value: (r) => r.impressions },
  { header: 'clicks', value: (r) => r.clicks },
  { header: 'ctr', value: (r) => r.ctr },
  { header: 'attributed_orders', value: (r) => r.attributedOrders },
  { header: 'attributed_revenue', value: (r) => r.attributedRevenueMinor, money: true },
  { header: 'metrics', value: (r) => (r.metrics === null ? null : JSON.stringify(r.metrics)) },
];

export const campaignColumns: Array<CsvColumn<CampaignRow>> = [
  { header: 'campaign_id', value: (r) => r.campaignId },
  { header: 'name', value: (r) => r.name },
  { header: 'vendor', value: (r) => r.vendor },
  { header: 'status', value: (r) => r.status },
  { header: 'impressions', value: (r) => r.impressions },
  { header: 'clicks', value: (r) => r.clicks },
  { header: 'ctr', value: (r) => r.ctr },
  { header: 'charged_clicks', value: (r) => r.chargedClicks },
  { header: 'spend', value: (r) => r.spendMinor, money: true },
  { header: 'attributed_orders', value: (r) => r.attributedOrders },
  { header: 'attributed_sales', value: (r) => r.attributedSalesMinor, money: true },
  { header: 'roas', value: (r) => r.roas },
  { header: 'acos', value: (r) => r.acos },
  { header: 'daily_budget', value: (r) => r.dailyBudgetMinor, money: true },
  { header: 'total_budget', value: (r) => r.totalBudgetMinor, money: true },
  { header: 'spent_total', value: (r) => r.spentTotalMinor, money: true },
  { header: 'budget_burn', value: (r) => r.budgetBurn },
];

export const campaignDayColumns: Array<CsvColumn<CampaignDay>> = [
  { header: 'day', value: (r) => r.day },
  { header: 'impressions', value: (r) => r.impressions },
  { header: 'clicks', value: (r) => r.clicks },
  { header: 'spend', value: (r) => r.spendMinor, money: true },
  { header: 'attributed_orders', value: (r) => r.attributedOrders },
  { header: 'attributed_sales', value: (r) => r.attributedSalesMinor, money: true },
];

export const vendorColumns: Array<CsvColumn<VendorRow>> = [
  { header: 'vendor', value: (r) => r.vendor },
  { header: 'campaigns', value: (r) => r.campaigns },
  { header: 'impressions', value: (r) => r.impressions },
  { header: 'clicks', value: (r) => r.clicks },
  { header: 'charged_clicks', value: (r) => r.chargedClicks },
  { header: 'spend', value: (r) => r.spendMinor, money: true },
  { header: 'attributed_orders', value: (r) => r.attributedOrders },
  { header: 'attributed_sales', value: (r) => r.attributedSalesMinor, money: true },
  { header: 'roas', value: (r) => r.roas },
  { header: 'acos', value: (r) => r.acos },
];

/** A statement line: a charge or a sale in one table, told apart by `kind`. */
export type StatementLine = ({ kind: 'charge' } & StatementCharge) | ({ kind: 'sale' } & StatementSale);

export const statementColumns: Array<CsvColumn<StatementLine>> = [
  { header: 'kind', value: (r) => r.kind },
  { header: 'ledger_id', value: (r) => (r.kind === 'charge' ? r.ledgerId : null) },
  { header: 'charge_key', value: (r) => r.chargeKey },
  { header: 'at', value: (r) => (r.kind === 'charge' ? r.chargedAt : r.orderedAt) },
  { header: 'campaign_id', value: (r) => r.campaignId },
  { header: 'campaign_name', value: (r) => (r.kind === 'charge' ? r.campaignName : null) },
  { header: 'order_id', value: (r) => (r.kind === 'sale' ? r.orderId : null) },
  { header: 'order_name', value: (r) => (r.kind === 'sale' ? r.orderName : null) },
  { header: 'line_item_id', value: (r) => (r.kind === 'sale' ? r.lineItemId : null) },
  { header: 'product_id', value: (r) => r.productId },
  { header: 'product_title', value: (r) => r.productTitle },
  { header: 'placement', value: (r) => (r.kind === 'charge' ? r.placement : null) },
  { header: 'source', value: (r) => (r.kind === 'sale' ? r.source : null) },
  { header: 'amount', value: (r) => (r.kind === 'charge' ? r.amountMinor : r.netMinor), money: true },
];
