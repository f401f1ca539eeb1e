import type { Insertable } from 'kysely';
import type { OrderAttributionsTable, OrderRevenueTable } from '../../shared/db';
import type { StoredCredit, StoredRevenue } from './credit-changes';

type Credit = StoredCredit | Insertable<OrderAttributionsTable>;
type Revenue = StoredRevenue | Insertable<OrderRevenueTable>;

/** What one order adds to (or, negative, takes from) an attribution_daily row. */
export interface DailyDelta {
  day: string;
  placement: string;
  sponsored: boolean;
  campaign_id: string;
  model_version: string;
  source: string;
  currency: string;
  orders: number;
  line_items: number;
  net_minor: number;
}

/** What one order adds to or takes from an attribution_daily_orders row (vendor ''). */
export interface OrdersDelta {
  day: string;
  dimension: 'all' | 'placement' | 'model' | 'campaign';
  placement: string;
  sponsored: boolean;
  model_version: string;
  campaign_id: string;
  currency: string;
  orders: number;
  click_orders: number;
  line_items: number;
  net_minor: number;
}

/** What one order adds to or takes from a store_daily row. */
export interface StoreDelta {
  day: string;
  currency: string;
  orders: number;
  net_minor: number;
  orders_with_recommendation: number;
  net_with_recommendation_minor: number;
}

export interface RollupDeltas {
  daily: DailyDelta[];
  orders: OrdersDelta[];
  store: StoreDelta[];
}

/** A group's figures as one order contributes them: it counts once, its lines each. */
interface Contribution {
  lineItems: number;
  net: number;
  clicked: boolean;
}

type Group<K> = Map<string, { key: K; before?: Contribution; after?: Contribution }>;

/** Adds a credit to its group, keyed by `id`; `key` makes the group's key when it is new. */
function add<K>(groups: Group<K>, id: string, key: () => K, side: 'before' | 'after', credit: Credit): void {
  let group = groups.get(id);
  if (!group) groups.set(id, (group = { key: key() }));
  const c = (group[side] ??= { lineItems: 0, net: 0, clicked: false });
  c.lineItems += 1;
  c.net += Number(credit.net_minor);
  c.clicked ||= credit.source !== 'view';
}

const campaignOf = (c: Credit): string | null => (c.campaign_id === null || c.campaign_id === undefined ? null : String(c.campaign_id));

type DailyKey = Omit<DailyDelta, 'orders' | 'line_items' | 'net_minor'>;
type OrdersKey = Omit<OrdersDelta, 'orders' | 'click_orders' | 'line_items' | 'net_minor'>;

/** Adds a counting credit to its attribution_daily group and the attribution_daily_orders rows it counts in (the table's sentinels for unused columns). */
function addCredit(daily: Group<DailyKey>, orders: Group<OrdersKey>, side: 'before' | 'after', c: Credit): void {
  const { day, currency, placement, sponsored, source } = c;
  const campaign = campaignOf(c);
  const model = c.model_version ?? '';
  const at = `${day}\u0000${currency}`;
  add(daily, `${at}\u0000${placement}\u0000${sponsored}\u0000${campaign}\u0000${model}\u0000${source}`, () => ({ day, placement, sponsored, campaign_id: campaign ?? '0', model_version: model, source, currency }), side, c);
  const base = { day, currency, placement: '', sponsored: false, model_version: '', campaign_id: '0' };
  add(orders, `${at}\u0000all`, () => ({ ...base, dimension: 'all' }), side, c);
  add(orders, `${at}\u0000placement\u0000${placement}\u0000${sponsored}`, () => ({ ...base, dimension: 'placement', placement, sponsored }), side, c);
  add(orders, `${at}\u0000model\u0000${model}`, () => ({ ...base, dimension: 'model', model_version: model }), side, c);
  if (campaign !== null) add(orders, `${at}\u0000campaign\u0000${campaign}`, () => ({ ...base, dimension: 'campaign', sponsored: true, campaign_id: campaign }), side, c);
}

const figures = (c: Contribution | undefined) => ({ orders: c ? 1 : 0, clickOrders: c?.clicked ? 1 : 0, lineItems: c?.lineItems ?? 0, net: c?.net ?? 0 });

function differences<K>(groups: Group<K>) {
  const out: Array<{ key: K; orders: number; clickOrders: number; lineItems: number; net: number }> = [];
  for (const { key, before, after } of groups.values()) {
    const b = figures(before);
    const a = figures(after);
    const d = { key, orders: a.orders - b.orders, clickOrders: a.clickOrders - b.clickOrders, lineItems: a.lineItems - b.lineItems, net: a.net - b.net };
    if (d.orders || d.clickOrders || d.lineItems || d.net) out.push(d);
  }
  return out;
}

function storeFigures(r: Revenue | null | undefined) {
  if (!r) return { orders: 0, net: 0, withRecommendation: 0, netWithRecommendation: 0 };
  const net = Number(r.net_minor);
  return { orders: 1, net, withRecommendation: r.has_recommendation ? 1 : 0, netWithRecommendation: r.has_recommendation ? net : 0 };
}

/**
 * What one re-attribution changes in the rollups: each rollup row is a sum over orders of what
 * each order contributes (its counting credits, net revenue left, grouped by the row's key; its
 * order_revenue row for store_daily), so the change is the order's new contribution minus its
 * old one, key by key. Keys whose figures did not move are left out: a redelivery has none.
 */
export function rollupDeltas(input: { before: readonly Credit[]; after: readonly Credit[]; revenueBefore: Revenue | null | undefined; revenueAfter: Revenue | null }): RollupDeltas {
  const daily: Group<DailyKey> = new Map();
  const orders: Group<OrdersKey> = new Map();
  for (const [side, credits] of [['before', input.before], ['after', input.after]] as const) {
    for (const credit of credits) {
      if (Number(credit.net_minor) > 0) addCredit(daily, orders, side, credit);
    }
  }
  const store = new Map<string, StoreDelta>();
  for (const [sign, row] of [[-1, input.revenueBefore], [1, input.revenueAfter]] as const) {
    if (!row) continue;
    const f = storeFigures(row);
    const id = `${row.day}\u0000${row.currency}`;
    const d = store.get(id) ?? { day: row.day, currency: row.currency, orders: 0, net_minor: 0, orders_with_recommendation: 0, net_with_recommendation_minor: 0 };
    d.orders += sign * f.orders;
    d.net_minor += sign * f.net;
    d.orders_with_recommendation += sign * f.withRecommendation;
    d.net_with_recommendation_minor += sign * f.netWithRecommendation;
    store.set(id, d);
  }
  return {
    daily: differences(daily).map((d) => ({ ...d.key, orders: d.orders, line_items: d.lineItems, net_minor: d.net })),
    orders: differences(orders).map((d) => ({ ...d.key, orders: d.orders, click_orders: d.clickOrders, line_items: d.lineItems, net_minor: d.net })),
    store: [...store.values()].filter((d) => d.orders || d.net_minor || d.orders_with_recommendation || d.net_with_recommendation_minor),
  };
}

/** The days whose rollup rows the deltas touch, sorted (the order their locks are taken in). */
export function deltaDays(deltas: RollupDeltas): string[] {
  return [...new Set([...deltas.daily, ...deltas.orders, ...deltas.store].map((d) => d.day))].sort();
}
