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

function add<K>(groups: Group<K>, key: K, side: 'before' | 'after', credit: Credit): void {
  const id = JSON.stringify(key);
  let group = groups.get(id);
  if (!group) groups.set(id, (group = { key }));
  const c = (group[side] ??= { lineItems: 0, net: 0, clicked: false });
  c.lineItems += 1;
  c.net += Number(credit.net_minor);
  c.clicked ||= credit.source !== 'view';
}

const campaignOf = (c: Credit): string | null => (c.campaign_id === null || c.campaign_id === undefined ? null : String(c.campaign_id));

function dailyKey(c: Credit) {
  return { day: c.day, placement: c.placement, sponsored: c.sponsored, campaign_id: campaignOf(c) ?? '0', model_version: c.model_version ?? '', source: c.source, currency: c.currency };
}

/** The attribution_daily_orders rows a credit counts in, with the table's sentinels. */
type OrdersKey = Omit<OrdersDelta, 'orders' | 'click_orders' | 'line_items' | 'net_minor'>;

function ordersKeys(c: Credit): OrdersKey[] {
  const base = { day: c.day, currency: c.currency };
  const keys: OrdersKey[] = [
    { ...base, dimension: 'all' as const, placement: '', sponsored: false, model_version: '', campaign_id: '0' },
    { ...base, dimension: 'placement' as const, placement: c.placement, sponsored: c.sponsored, model_version: '', campaign_id: '0' },
    { ...base, dimension: 'model' as const, placement: '', sponsored: false, model_version: c.model_version ?? '', campaign_id: '0' },
  ];
  const campaign = campaignOf(c);
  if (campaign !== null) keys.push({ ...base, dimension: 'campaign' as const, placement: '', sponsored: true, model_version: '', campaign_id: campaign });
  return keys;
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
  const daily: Group<ReturnType<typeof dailyKey>> = new Map();
  const orders: Group<OrdersKey> = new Map();
  for (const [side, credits] of [['before', input.before], ['after', input.after]] as const) {
    for (const credit of credits) {
      if (Number(credit.net_minor) <= 0) continue;
      add(daily, dailyKey(credit), side, credit);
      for (const key of ordersKeys(credit)) add(orders, key, side, credit);
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
