import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db';
import { reportCurrency } from './currency';
import { ratio } from './ratios';
import { reportRules } from './rules';
import type { StatementCharge, StatementSale, VendorStatement } from './types';

/** `vendor` and `month` (`YYYY-MM`, UTC) of a statement request. */
export const statementParams = z.object({
  vendor: z.string().trim().min(1, 'is required').max(255),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM'),
});
export type StatementParams = z.infer<typeof statementParams>;

/** The first and last UTC day of a `YYYY-MM` month. */
export function monthDays(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

interface ChargeRow {
  ledger_id: string;
  charge_key: string;
  clicked_at: Date;
  campaign_id: string;
  campaign_name: string;
  product_id: string;
  product_title: string | null;
  placement: string;
  amount_minor: number;
}

interface SaleRow {
  order_id: string;
  order_name: string | null;
  line_item_id: string;
  product_id: string;
  product_title: string | null;
  order_created_at: Date;
  net_minor: number;
  source: string;
  campaign_id: string;
  charge_key: string | null;
}

/**
 * A vendor's monthly statement (docs/reports.md): every charged sponsored_ledger row of the
 * vendor's campaigns whose spend day is in the month, and every sponsored order_attributions row
 * of those campaigns whose order day is in the month, each traceable by ledger id, charge key,
 * order and line item. Campaigns are the vendor's as named now.
 */
export async function vendorStatement(db: Db, shop: string, params: StatementParams): Promise<VendorStatement> {
  const { from, to } = monthDays(params.month);
  const [currency, rules, charges, sales] = await Promise.all([
    reportCurrency(db, shop),
    reportRules(db, shop),
    sql<ChargeRow>`
      select l.id::text as ledger_id, l.charge_key, l.clicked_at, l.campaign_id::text as campaign_id, c.name as campaign_name,
        l.product_id, p.title as product_title, l.placement, l.amount_minor
      from sponsored_campaigns c
      join sponsored_ledger l on l.campaign_id = c.id and l.shop = c.shop
      left join products p on p.shop = l.shop and p.id = l.product_id
      where c.shop = ${shop} and c.vendor = ${params.vendor} and l.status = 'charged' and l.day >= ${from} and l.day <= ${to}
      order by l.clicked_at, l.id
    `.execute(db),
    sql<SaleRow>`
      select a.order_id, o.name as order_name, a.line_item_id, a.product_id, coalesce(p.title, li.title) as product_title,
        a.order_created_at, a.net_minor, a.source, a.campaign_id::text as campaign_id,
        case when exists (select 1 from sponsored_ledger k where k.shop = a.shop and k.charge_key = a.impression_id || ':' || a.product_id and k.status = 'charged')
          then a.impression_id || ':' || a.product_id end as charge_key
      from order_attributions a
      join sponsored_campaigns c on c.shop = a.shop and c.id = a.campaign_id
      left join orders o on o.shop = a.shop and o.id = a.order_id
      left join order_line_items li on li.shop = a.shop and li.id = a.line_item_id
      left join products p on p.shop = a.shop and p.id = a.product_id
      where a.shop = ${shop} and a.day >= ${from} and a.day <= ${to} and a.sponsored and c.vendor = ${params.vendor}
      order by a.order_created_at, a.order_id, a.line_item_id
    `.execute(db),
  ]);
  const chargeLines: StatementCharge[] = charges.rows.map((r) => ({
    ledgerId: r.ledger_id,
    chargeKey: r.charge_key,
    chargedAt: new Date(r.clicked_at).toISOString(),
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    productId: r.product_id,
    productTitle: r.product_title,
    placement: r.placement,
    amountMinor: Number(r.amount_minor),
  }));
  const saleLines: StatementSale[] = sales.rows.map((r) => ({
    orderId: r.order_id,
    orderName: r.order_name,
    lineItemId: r.line_item_id,
    productId: r.product_id,
    productTitle: r.product_title,
    orderedAt: new Date(r.order_created_at).toISOString(),
    netMinor: Number(r.net_minor),
    source: r.source,
    campaignId: r.campaign_id,
    chargeKey: r.charge_key,
  }));
  const spendMinor = chargeLines.reduce((s, c) => s + c.amountMinor, 0);
  const salesMinor = saleLines.reduce((s, l) => s + l.netMinor, 0);
  return {
    vendor: params.vendor,
    month: params.month,
    currency,
    rules,
    charges: chargeLines,
    sales: saleLines,
    totals: {
      chargedClicks: chargeLines.length,
      spendMinor,
      attributedOrders: new Set(saleLines.filter((l) => l.netMinor > 0).map((l) => l.orderId)).size,
      attributedSalesMinor: salesMinor,
      roas: ratio(salesMinor, spendMinor),
    },
  };
}
