import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

/** Shopify ids are kept as decimal strings: they are identifiers, never arithmetic. */
type ShopifyId = string;

/** Money is always integer minor units of the row's currency (pence, cents, yen). */
type MinorUnits = number;

/**
 * A bigint id column: shared/db reads int8 back as a number (refusing anything beyond 2^53); the
 * API, tokens and caches carry ids as decimal strings, which compare and write as well. Typed as
 * either, so that reading code converts (String(id)) instead of trusting one form.
 */
type Int8 = ColumnType<number | string, number | string, number | string>;
/** A bigserial key: as Int8, never written. */
type Int8Key = ColumnType<number | string, never, never>;
/** A bigint amount: read back as a number. */
type Int8Amount = ColumnType<number, number | string, number | string>;

export interface ShopsTable {
  domain: string;
  active: boolean;
  scope: string | null;
  currency: string | null;
  installed_at: Timestamp | null;
  uninstalled_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ShopifySessionsTable {
  id: string;
  shop: string;
  state: string;
  is_online: boolean;
  scope: string | null;
  expires: Timestamp | null;
  /** AES-256-GCM ciphertext of the access token: `v1:<iv>:<tag>:<data>` in base64 parts. */
  access_token_enc: string | null;
  online_access_info: Json | null;
  updated_at: Generated<Timestamp>;
}

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface ProductsTable {
  shop: string;
  id: ShopifyId;
  title: string;
  handle: string | null;
  vendor: string | null;
  product_type: string | null;
  tags: Json<string[]>;
  status: string;
  published_at: Timestamp | null;
  body_text: string;
  /** Title, type, vendor, tags and description in one string, for text models. */
  search_text: string;
  image_url: string | null;
  available: boolean;
  /** Catalog prices are exact decimal strings in the shop currency (numeric in SQL). */
  min_price: string | null;
  updated_at: Timestamp;
  /** Content hash of the payload version: ties on updated_at resolve the same way every time. */
  version_hash: string;
  deleted_at: Timestamp | null;
}

export interface ProductVariantsTable {
  shop: string;
  id: ShopifyId;
  product_id: ShopifyId;
  title: string | null;
  sku: string | null;
  price: string;
  compare_at_price: string | null;
  inventory_quantity: number | null;
  inventory_policy: string | null;
  inventory_management: string | null;
  available: boolean;
  position: number;
}

export interface OrdersTable {
  shop: string;
  id: ShopifyId;
  name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  processed_at: Timestamp | null;
  currency: string;
  presentment_currency: string | null;
  total_price_minor: MinorUnits;
  current_total_price_minor: MinorUnits | null;
  subtotal_price_minor: MinorUnits | null;
  total_discounts_minor: MinorUnits;
  financial_status: string | null;
  cancelled_at: Timestamp | null;
  /** Keyed pseudonym of the Shopify customer id; never the id, name or email. */
  customer_key: string | null;
  cart_token: string | null;
  checkout_token: string | null;
  landing_site: string | null;
  note_attributes: Json<Array<{ name: string; value: string }>>;
  test: boolean;
  version_hash: string;
}

export interface OrderLineItemsTable {
  shop: string;
  id: ShopifyId;
  order_id: ShopifyId;
  product_id: ShopifyId | null;
  variant_id: ShopifyId | null;
  title: string | null;
  quantity: number;
  price_minor: MinorUnits;
  total_discount_minor: MinorUnits;
  properties: Json<Array<{ name: string; value: string }>>;
  position: number;
}

export interface RefundsTable {
  shop: string;
  id: ShopifyId;
  order_id: ShopifyId;
  created_at: Timestamp;
}

export interface RefundLineItemsTable {
  shop: string;
  refund_id: ShopifyId;
  line_item_id: ShopifyId;
  order_id: ShopifyId;
  quantity: number;
  subtotal_minor: MinorUnits;
}

export interface MerchantRulesTable {
  shop: string;
  id: string;
  kind: 'pin' | 'exclude' | 'boost';
  match: 'product' | 'tag' | 'vendor' | 'collection' | 'product_type';
  value: string;
  /** null: every placement. */
  placement: string | null;
  /** Boost: score multiplier (> 1 lifts, < 1 lowers). */
  weight: Generated<number>;
  /** Pin: 0-based slot. */
  position: number | null;
  created_at: Generated<Timestamp>;
}

export interface ProductCollectionsTable {
  shop: string;
  product_id: ShopifyId;
  collection_id: ShopifyId;
  collection_handle: string | null;
}

export interface StorefrontEventReceiptsTable {
  shop: string;
  id: string;
  received_at: Timestamp;
}

export interface StorefrontEventsTable {
  shop: string;
  id: string;
  type: 'impression' | 'click' | 'add_to_cart';
  occurred_at: Timestamp;
  received_at: Timestamp;
  /** Per-shop pseudonym of the storefront visitor id; only with analytics consent. */
  visitor_key: string | null;
  /** Per-shop pseudonym of the logged-in customer; only with analytics consent. */
  customer_key: string | null;
  impression_id: string;
  placement: string;
  product_id: ShopifyId;
  position: number;
  model_version: string | null;
  sponsored: Generated<boolean>;
  token: string;
  /** add_to_cart: the variant added and how many. */
  variant_id: ShopifyId | null;
  quantity: number | null;
}

export interface StorefrontEventCountsTable {
  shop: string;
  /** UTC day. */
  day: string;
  placement: string;
  type: 'impression' | 'click' | 'add_to_cart';
  product_id: ShopifyId;
  model_version: Generated<string>;
  sponsored: Generated<boolean>;
  count: Generated<string>;
}

/** storefront_event_counts without the product (migration 0010): what the reports read. */
export interface StorefrontEventDailyTable {
  shop: string;
  /** UTC day. */
  day: string;
  placement: string;
  /** '' when no model served the list. */
  model_version: Generated<string>;
  sponsored: Generated<boolean>;
  impressions: Int8Amount;
  clicks: Int8Amount;
  add_to_carts: Int8Amount;
}

export interface SponsoredSettingsTable {
  shop: string;
  /** Least relevance (0-1) a promoted product needs in a request's context to enter the auction. */
  relevance_threshold: Generated<number>;
  /** Least price of a click. */
  reserve_minor: Generated<number>;
  /** Most sponsored products in one recommendation block. */
  slots_per_block: Generated<number>;
  /** Most sponsored impressions of one campaign per visitor per day. */
  frequency_cap_per_day: Generated<number>;
  updated_at: Generated<Timestamp>;
}

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'exhausted' | 'ended';

export interface SponsoredCampaignsTable {
  /** bigserial; the API and tokens carry it as a decimal string. */
  id: Int8Key;
  shop: string;
  name: string;
  /** The catalog vendor whose products the campaign promotes. */
  vendor: string;
  /** Who pays: the vendor itself or a named advertiser acting for it. */
  advertiser: string;
  max_cpc_minor: number;
  daily_budget_minor: Int8Amount;
  total_budget_minor: Int8Amount;
  currency: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  /** Placements (STOREFRONT_PLACEMENTS and 'sponsored' for the Sponsored block) it bids in. */
  placements: Json<string[]>;
  status: Generated<CampaignStatus>;
  spent_total_minor: ColumnType<number, number | string | undefined, number | string>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SponsoredCampaignProductsTable {
  campaign_id: Int8;
  shop: string;
  product_id: ShopifyId;
}

export interface SponsoredDailySpendTable {
  campaign_id: Int8;
  shop: string;
  /** The spend day (UTC; see shared/sponsored spendDay). */
  day: string;
  spent_minor: ColumnType<number, number | string | undefined, number | string>;
  clicks: Generated<number>;
}

export interface SponsoredLedgerTable {
  id: Int8Key;
  shop: string;
  /** Unique per shop: `<impression_id>:<product_id>` (one charge per impression token). */
  charge_key: string;
  campaign_id: Int8;
  event_id: string;
  impression_id: string;
  product_id: ShopifyId;
  placement: string;
  token: string;
  visitor_key: string | null;
  /** The auction price the token carried. */
  price_minor: number;
  /** What was charged: the price, less if the budget had less left, 0 when not charged. */
  amount_minor: number;
  currency: string;
  day: string;
  status: 'charged' | 'not_charged';
  /** Why a click was not charged (budget_exhausted, campaign_inactive, repeat_click, …). */
  reason: string | null;
  clicked_at: Timestamp;
  created_at: Generated<Timestamp>;
}

export interface AttributionSettingsTable {
  shop: string;
  /** Longest time from a recommendation click (or token) to the order that it credits, in seconds. Default 7 days. */
  recommendation_click_window_seconds: Generated<number>;
  /** The same for a sponsored product's click or token, in seconds. Default 14 days. */
  sponsored_click_window_seconds: Generated<number>;
  /** Longest time from a sponsored impression (without a click) to the order, in seconds. Default 1 day. */
  sponsored_view_window_seconds: Generated<number>;
  /** Share of consenting visitors held out of every Shelfwise block, in basis points (0-5000). Default 500 (5 %). */
  holdout_share_bp: Generated<number>;
  updated_at: Generated<Timestamp>;
}

export type HoldoutGroup = 'treatment' | 'holdout';

/** The first time a visitor's block asked for recommendations on a UTC day, in either group (docs/holdout.md). */
export interface HoldoutExposuresTable {
  shop: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** customerPseudonym(key, shop, 'visitor:' + visitor id). */
  visitor_key: string;
  grp: HoldoutGroup;
  first_seen_at: Timestamp;
}

/** One row per shop and exposed visitor, kept by a trigger on holdout_exposures (migration 0011). */
export interface HoldoutVisitorsTable {
  shop: string;
  visitor_key: string;
  /** First and last exposure day, YYYY-MM-DD. */
  first_day: string;
  last_day: string;
  /** Group of the visitor's exposure rows (of its first one when `mixed`). */
  grp: HoldoutGroup;
  /** Rows in both groups. */
  mixed: Generated<boolean>;
  /** Σ net_minor of the visitor's order_revenue rows from first_day on (kept by triggers, 0016). */
  revenue_minor: Generated<Int8Amount>;
  /** The latest day of those rows; null without any. */
  revenue_last_day: Generated<string | null>;
}

export type AttributionSource = 'property' | 'cart_attribute' | 'click' | 'view';

/** One credit per order line item (docs/attribution.md); replaced whole when its order is re-attributed. */
export interface OrderAttributionsTable {
  shop: string;
  order_id: ShopifyId;
  line_item_id: ShopifyId;
  source: AttributionSource;
  /** The recommendation token that won the credit. */
  token: string;
  /** The storefront event (click, impression) behind a `click` or `view` credit. */
  event_id: string | null;
  impression_id: string;
  placement: string;
  product_id: ShopifyId;
  sponsored: boolean;
  campaign_id: Int8 | null;
  model_version: string | null;
  /** When the winning touch happened (token issued, click, impression). */
  touched_at: Timestamp;
  /** Net line revenue: price x quantity - line discounts - refunded subtotals, never negative. */
  net_minor: Int8Amount;
  currency: string;
  presentment_currency: string | null;
  order_created_at: Timestamp;
  /** UTC day of the order's creation, `YYYY-MM-DD`. */
  day: string;
  computed_at: Timestamp;
}

/** Attributed revenue per shop, day and dimension; counts only lines with net revenue left. */
export interface AttributionDailyTable {
  shop: string;
  day: string;
  placement: string;
  sponsored: boolean;
  /** 0 when not sponsored by a campaign. */
  campaign_id: Int8;
  /** '' when no model served. */
  model_version: string;
  source: AttributionSource;
  currency: string;
  orders: number;
  line_items: number;
  net_minor: Int8Amount;
}

/** One row per order that counts (not cancelled, not a test); written by its re-attribution. */
export interface OrderRevenueTable {
  shop: string;
  order_id: ShopifyId;
  /** UTC day of the order's creation, `YYYY-MM-DD`. */
  day: string;
  currency: string;
  presentment_currency: string | null;
  /** Net line revenue: the attribution engine's net rule summed over the order's lines. */
  net_minor: Int8Amount;
  /** Sum of the order's credits (recommendation_minor + sponsored_minor). */
  attributed_minor: Int8Amount;
  recommendation_minor: Int8Amount;
  sponsored_minor: Int8Amount;
  /** attributed_minor > 0. */
  has_recommendation: boolean;
  /** Pseudonym of the `_shelfwise_visitor` cart attribute, as storefront_events.visitor_key. */
  visitor_key: string | null;
  customer_key: string | null;
  order_created_at: Timestamp;
  computed_at: Timestamp;
}

/** The store's orders and net revenue per day and currency, rebuilt from order_revenue. */
export interface StoreDailyTable {
  shop: string;
  day: string;
  currency: string;
  orders: number;
  net_minor: Int8Amount;
  orders_with_recommendation: number;
  net_with_recommendation_minor: Int8Amount;
}

export type AttributionDimension = 'all' | 'placement' | 'model' | 'campaign' | 'vendor';

/** Distinct attributed orders per day and report dimension (unused dimension columns '' / 0 / false). */
export interface AttributionDailyOrdersTable {
  shop: string;
  day: string;
  dimension: AttributionDimension;
  placement: Generated<string>;
  sponsored: Generated<boolean>;
  model_version: Generated<string>;
  campaign_id: ColumnType<number | string, number | string | undefined, number | string>;
  vendor: Generated<string>;
  currency: string;
  orders: number;
  /** Orders with at least one credit that is not view-through (source other than 'view'). */
  click_orders: number;
  line_items: number;
  net_minor: Int8Amount;
}

/** Storefront events of sponsored slots per campaign, day, placement and product. */
export interface SponsoredEventDailyTable {
  shop: string;
  day: string;
  campaign_id: Int8;
  placement: string;
  product_id: ShopifyId;
  impressions: Int8Amount;
  clicks: Int8Amount;
  add_to_carts: Int8Amount;
}

/** One customers/data_request and its export (migration 0013, docs/privacy.md). */
export interface DataRequestsTable {
  shop: string;
  /** Shopify's data_request id (one row per request; a redelivery rewrites it). */
  id: string;
  /** Per-shop pseudonym of the customer; never the Shopify id, email or phone. */
  customer_key: string | null;
  /** The order ids the request listed. */
  orders_requested: Json<string[]>;
  requested_at: Timestamp;
  completed_at: Timestamp;
  /** The JSON export (worker/privacy CustomerDataExport). */
  export: Json;
}

/** What customers/redact erased (migration 0017): a customer pseudonym or an order id. */
export interface RedactionsTable {
  shop: string;
  kind: 'customer' | 'order';
  key: string;
  redacted_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
  shops: ShopsTable;
  shopify_sessions: ShopifySessionsTable;
  app_meta: AppMetaTable;
  products: ProductsTable;
  product_variants: ProductVariantsTable;
  orders: OrdersTable;
  order_line_items: OrderLineItemsTable;
  refunds: RefundsTable;
  refund_line_items: RefundLineItemsTable;
  merchant_rules: MerchantRulesTable;
  product_collections: ProductCollectionsTable;
  storefront_event_receipts: StorefrontEventReceiptsTable;
  storefront_events: StorefrontEventsTable;
  storefront_event_counts: StorefrontEventCountsTable;
  storefront_event_daily: StorefrontEventDailyTable;
  sponsored_settings: SponsoredSettingsTable;
  sponsored_campaigns: SponsoredCampaignsTable;
  sponsored_campaign_products: SponsoredCampaignProductsTable;
  sponsored_daily_spend: SponsoredDailySpendTable;
  sponsored_ledger: SponsoredLedgerTable;
  attribution_settings: AttributionSettingsTable;
  order_attributions: OrderAttributionsTable;
  attribution_daily: AttributionDailyTable;
  order_revenue: OrderRevenueTable;
  store_daily: StoreDailyTable;
  attribution_daily_orders: AttributionDailyOrdersTable;
  sponsored_event_daily: SponsoredEventDailyTable;
  holdout_exposures: HoldoutExposuresTable;
  holdout_visitors: HoldoutVisitorsTable;
  data_requests: DataRequestsTable;
  redactions: RedactionsTable;
}

export type Product = Selectable<ProductsTable>;
export type NewProduct = Insertable<ProductsTable>;
export type ProductVariant = Insertable<ProductVariantsTable>;
export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type NewOrderLineItem = Insertable<OrderLineItemsTable>;
