import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../../../shared/db';
import type { CampaignStatus } from '../../../../shared/db';
import { POSTGRES_URL } from '../../../support/databases';

export interface CampaignFixture {
  shop: string;
  status?: CampaignStatus;
  maxCpcMinor?: number;
  dailyBudgetMinor: number;
  totalBudgetMinor: number;
  currency?: string;
  spentTotalMinor?: number;
  endsAt?: Date | null;
}

/** Inserts a campaign (no products: charging does not read them) and returns its id. */
export async function insertCampaign(db: Db, c: CampaignFixture): Promise<string> {
  const row = await db
    .insertInto('sponsored_campaigns')
    .values({
      shop: c.shop,
      name: 'Spring push',
      vendor: 'Acme',
      advertiser: 'Acme',
      max_cpc_minor: c.maxCpcMinor ?? Math.min(c.dailyBudgetMinor, 50),
      daily_budget_minor: c.dailyBudgetMinor,
      total_budget_minor: c.totalBudgetMinor,
      currency: c.currency ?? 'EUR',
      starts_at: new Date(Date.UTC(2026, 0, 1)),
      ends_at: c.endsAt ?? null,
      placements: JSON.stringify(['related', 'sponsored']),
      status: c.status ?? 'active',
      spent_total_minor: c.spentTotalMinor ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export interface LedgerRow {
  chargeKey: string;
  eventId: string;
  status: 'charged' | 'not_charged';
  reason: string | null;
  amountMinor: number;
  priceMinor: number;
  currency: string;
  day: string;
  visitorKey: string | null;
  token: string;
}

/** A campaign's money as stored: the campaign row, its daily spend and its ledger, read in one snapshot. */
export async function campaignMoney(db: Db, campaignId: string) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const campaign = await trx
        .selectFrom('sponsored_campaigns')
        .select(['status', 'spent_total_minor', 'daily_budget_minor', 'total_budget_minor'])
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      const days = await trx
        .selectFrom('sponsored_daily_spend')
        .select([sql<string>`day::text`.as('day'), 'spent_minor', 'clicks'])
        .where('campaign_id', '=', campaignId)
        .orderBy('day')
        .execute();
      const ledger = await trx
        .selectFrom('sponsored_ledger')
        .select([
          'charge_key',
          'event_id',
          'status',
          'reason',
          'amount_minor',
          'price_minor',
          'currency',
          sql<string>`day::text`.as('day'),
          'visitor_key',
          'token',
        ])
        .where('campaign_id', '=', campaignId)
        .orderBy('id')
        .execute();
      const rows: LedgerRow[] = ledger.map((r) => ({
        chargeKey: r.charge_key,
        eventId: r.event_id,
        status: r.status,
        reason: r.reason,
        amountMinor: Number(r.amount_minor),
        priceMinor: Number(r.price_minor),
        currency: r.currency,
        day: r.day,
        visitorKey: r.visitor_key,
        token: r.token,
      }));
      return {
        status: campaign.status,
        spentTotalMinor: Number(campaign.spent_total_minor),
        dailyBudgetMinor: Number(campaign.daily_budget_minor),
        totalBudgetMinor: Number(campaign.total_budget_minor),
        days: days.map((d) => ({ day: d.day, spentMinor: Number(d.spent_minor), clicks: Number(d.clicks) })),
        ledger: rows,
        ledgerChargedMinor: rows.reduce((a, r) => a + r.amountMinor, 0),
        dailySpentMinor: days.reduce((a, d) => a + Number(d.spent_minor), 0),
      };
    });
}

/**
 * Several independent connection pools on one fresh, migrated schema of the real PostgreSQL:
 * what several worker processes charging at once look like to the database.
 */
export async function separatePools(count: number, poolSize = 2): Promise<{ dbs: Db[]; close(): Promise<void> }> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await adminQuery(`create schema ${schema}`);
  const dbs: Db[] = [];
  try {
    for (let i = 0; i < count; i++) dbs.push(await openDatabase({ kind: 'postgres', url: POSTGRES_URL, poolSize, schema }));
    await migrateToLatest(dbs[0]!);
  } catch (error) {
    await Promise.all(dbs.map((d) => d.destroy()));
    await adminQuery(`drop schema ${schema} cascade`);
    throw error;
  }
  return {
    dbs,
    async close() {
      await Promise.all(dbs.map((d) => d.destroy()));
      await adminQuery(`drop schema ${schema} cascade`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
