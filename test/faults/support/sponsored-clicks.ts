import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import { signProxyQuery } from '../../../shared/shopify';
import { signRecommendationToken } from '../../../shared/tracking';
import { TEST_SECRET } from '../../support/config';
import { BROWSER_UA } from '../../support/storefront-events';

export interface ClickTally {
  /** Click events posted (double clicks included), each counted once however often tried. */
  sent: number;
  /** Distinct sponsored impressions clicked: each must be charged exactly once. */
  chargeKeys: Set<string>;
  /** Posts that needed more than one try. */
  retried: number;
  failed: number;
}

/**
 * Shoppers clicking sponsored products through the real app proxy endpoint (POST /proxy/events,
 * signed as Shopify's proxy signs), one impression each, a quarter of them clicked twice (a new
 * event id: the ledger must still charge once). Posts retry on non-2xx and dropped connections,
 * as the tracking embed's beacon queue does.
 */
export async function sendSponsoredClicks(o: { url: string; shop: string; tokenKey: Buffer; campaignId: string; clicks: number; priceMinor: number; seed: string }): Promise<ClickTally> {
  const tally: ClickTally = { sent: 0, chargeKeys: new Set(), retried: 0, failed: 0 };
  const post = async (i: number, token: string) => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const now = Date.now();
      const query = signProxyQuery([['shop', o.shop], ['logged_in_customer_id', ''], ['path_prefix', '/apps/shelfwise']], TEST_SECRET, Math.floor(now / 1000));
      const body = { consent: { analytics: true }, visitor_id: `fv${o.seed}${String(i).padStart(6, '0')}`, events: [{ id: randomUUID(), type: 'click', token, at: now }] };
      const status = await fetch(`${o.url}/proxy/events?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'x-forwarded-for': `10.7.${i >> 8}.${i & 255}` },
        body: JSON.stringify(body),
      }).then((r) => r.status, () => 0);
      if (status >= 200 && status < 300) {
        if (attempt > 1) tally.retried += 1;
        tally.sent += 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 3000)));
    }
    tally.failed += 1;
  };
  const lanes = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < o.clicks) {
        const i = next++;
        const impressionId = `f${o.seed}imp${i}`;
        const productId = String(7000 + (i % 20));
        const token = signRecommendationToken(o.tokenKey, o.shop, {
          impressionId,
          placement: 'sponsored',
          productId,
          position: 0,
          modelVersion: null,
          sponsored: true,
          issuedAt: Math.floor(Date.now() / 1000),
          sponsorship: { campaignId: o.campaignId, priceMinor: o.priceMinor },
        });
        tally.chargeKeys.add(`${impressionId}:${productId}`);
        await post(i, token);
        if (i % 4 === 0) await post(i, token);
      }
    }),
  );
  return tally;
}

export interface LedgerCheck {
  rows: number;
  /** Charge keys with more than one ledger row. */
  chargedTwice: string[];
  /** Charge keys sent but without a ledger row. */
  missing: string[];
  charged: number;
  /** Rows not charged, by reason (repeat_click, budget_exhausted, …). */
  notCharged: Record<string, number>;
}

/** Waits until the ledger holds a row for every distinct click (or `ms` passed), then compares. */
export async function checkLedger(db: Db, shop: string, chargeKeys: Set<string>, ms = 60_000): Promise<LedgerCheck> {
  const read = async () =>
    (await sql<{ charge_key: string; rows: number; charged: number }>`
      select charge_key, count(*)::int as rows, count(*) filter (where status = 'charged')::int as charged
      from sponsored_ledger where shop = ${shop} group by charge_key`.execute(db)).rows;
  const until = Date.now() + ms;
  let rows = await read();
  while (rows.length < chargeKeys.size && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    rows = await read();
  }
  // A moment more: a late duplicate would show up now.
  await new Promise((r) => setTimeout(r, 1000));
  rows = await read();
  const found = new Set(rows.map((r) => r.charge_key));
  const reasons = await sql<{ reason: string | null; n: number }>`
    select reason, count(*)::int as n from sponsored_ledger where shop = ${shop} and status <> 'charged' group by reason`.execute(db);
  return {
    rows: rows.reduce((n, r) => n + r.rows, 0),
    chargedTwice: rows.filter((r) => r.rows > 1).map((r) => r.charge_key),
    missing: [...chargeKeys].filter((k) => !found.has(k)),
    charged: rows.reduce((n, r) => n + r.charged, 0),
    notCharged: Object.fromEntries(reasons.rows.map((r) => [r.reason ?? 'none', r.n])),
  };
}
