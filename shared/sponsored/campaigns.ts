import { sql, type Kysely, type Transaction } from 'kysely';
import { spendDay } from './spend-day';
import type { CampaignStatus, Database, Db } from '../db';
import {
  checkCampaignFields,
  checkCatalog,
  checkStatusAndSpend,
  parseCampaignPatch,
  parseNewCampaign,
  type CampaignFields,
  type CampaignPlacement,
  type FieldIssue,
} from './campaign-input';

/** A stored campaign with its spend (docs/sponsored.md), money in minor units of `currency`. */
export interface Campaign extends CampaignFields {
  id: string;
  shop: string;
  currency: string;
  status: CampaignStatus;
  spentTotalMinor: number;
  /** Spend on the spend day the caller asked about (today, for the admin). */
  spentTodayMinor: number;
  productCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export type CampaignWrite = { ok: true; campaign: Campaign } | { ok: false; reason: 'invalid'; issues: FieldIssue[] } | { ok: false; reason: 'not_found' };

/** Campaign ids are bigserial: anything else names no campaign (and must not reach a bigint cast). */
const isCampaignId = (id: string) => /^[1-9]\d{0,17}$/.test(id);

type Reader = Kysely<Database> | Transaction<Database>;

function campaignsQuery(db: Reader, shop: string, day: string) {
  return db
    .selectFrom('sponsored_campaigns as c')
    .leftJoin('sponsored_daily_spend as d', (join) => join.onRef('d.campaign_id', '=', 'c.id').on('d.day', '=', day))
    .select([
      'c.id',
      'c.shop',
      'c.name',
      'c.vendor',
      'c.advertiser',
      'c.max_cpc_minor',
      'c.daily_budget_minor',
      'c.total_budget_minor',
      'c.currency',
      'c.starts_at',
      'c.ends_at',
      'c.placements',
      'c.status',
      'c.spent_total_minor',
      'c.created_at',
      'c.updated_at',
      'd.spent_minor as spent_today_minor',
      (eb) =>
        eb
          .selectFrom('sponsored_campaign_products as p')
          .select((p) => p.fn.countAll<number>().as('n'))
          .whereRef('p.campaign_id', '=', 'c.id')
          .as('product_count'),
    ])
    .where('c.shop', '=', shop);
}

type CampaignRow = Awaited<ReturnType<ReturnType<typeof campaignsQuery>['executeTakeFirstOrThrow']>>;

function fromRow(row: CampaignRow, productIds: string[]): Campaign {
  return {
    id: String(row.id),
    shop: row.shop,
    name: row.name,
    vendor: row.vendor,
    advertiser: row.advertiser,
    productIds,
    maxCpcMinor: Number(row.max_cpc_minor),
    dailyBudgetMinor: Number(row.daily_budget_minor),
    totalBudgetMinor: Number(row.total_budget_minor),
    currency: row.currency,
    startsAt: new Date(row.starts_at),
    endsAt: row.ends_at === null ? null : new Date(row.ends_at),
    placements: row.placements as CampaignPlacement[],
    status: row.status,
    spentTotalMinor: Number(row.spent_total_minor),
    spentTodayMinor: Number(row.spent_today_minor ?? 0),
    productCount: Number(row.product_count ?? 0),
    createdAt: new Date(row.created_at as unknown as Date),
    updatedAt: new Date(row.updated_at as unknown as Date),
  };
}

async function productIdsOf(db: Reader, shop: string, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sponsored_campaign_products')
    .select('product_id')
    .where('shop', '=', shop)
    .where('campaign_id', '=', campaignId)
    .orderBy('product_id')
    .execute();
  return rows.map((r) => r.product_id);
}

/**
 * A shop's campaigns, newest first, with spend on `day` (spendDay). `productIds` is left
 * empty here (see productCount); getCampaign lists them.
 */
export async function listCampaigns(db: Db, shop: string, { day }: { day: string }): Promise<Campaign[]> {
  const rows = await campaignsQuery(db, shop, day).orderBy('c.id', 'desc').execute();
  return rows.map((row) => fromRow(row, []));
}

/** One campaign of the shop with its product ids; null when the shop has no such campaign. */
export async function getCampaign(db: Reader, shop: string, id: string, { day }: { day: string }): Promise<Campaign | null> {
  if (!isCampaignId(id)) return null;
  const row = await campaignsQuery(db, shop, day).where('c.id', '=', id).executeTakeFirst();
  return row ? fromRow(row, await productIdsOf(db, shop, String(row.id))) : null;
}

/** What the catalog says about a vendor and products, for checkCatalog. */
async function catalogIssues(db: Reader, shop: string, vendor: string, productIds: readonly string[]): Promise<FieldIssue[]> {
  const [vendorRow, products] = await Promise.all([
    db.selectFrom('products').select('id').where('shop', '=', shop).where('vendor', '=', vendor).where('deleted_at', 'is', null).limit(1).executeTakeFirst(),
    productIds.length
      ? db.selectFrom('products').select(['id', 'vendor', 'deleted_at']).where('shop', '=', shop).where('id', 'in', [...productIds]).execute()
      : Promise.resolve([]),
  ]);
  return checkCatalog(vendor, productIds, {
    vendorInCatalog: vendorRow !== undefined,
    products: new Map(products.map((p) => [p.id, { vendor: p.vendor, deleted: p.deleted_at !== null }])),
  });
}

async function replaceProducts(tx: Transaction<Database>, shop: string, campaignId: string, productIds: readonly string[]): Promise<void> {
  await tx.deleteFrom('sponsored_campaign_products').where('shop', '=', shop).where('campaign_id', '=', campaignId).execute();
  await tx
    .insertInto('sponsored_campaign_products')
    .values(productIds.map((product_id) => ({ campaign_id: campaignId, shop, product_id })))
    .execute();
}

/**
 * Creates a campaign from an API body in the shop's currency (which the campaign keeps). Every
 * problem at once, nothing written when there is one.
 */
export async function createCampaign(db: Db, { shop, currency, body, nowMs }: { shop: string; currency: string; body: unknown; nowMs: number }): Promise<CampaignWrite> {
  const parsed = parseNewCampaign(body, { currency, now: new Date(nowMs) });
  const raw = (body ?? {}) as Record<string, unknown>;
  // The catalog is judged even when the body has other problems, so the merchant sees them all.
  // …unless the vendor itself is refused (a control character would not even reach the query).
  const vendorRefused = !parsed.ok && parsed.issues.some((issue) => issue.field === 'vendor');
  const vendor = parsed.ok ? parsed.value.fields.vendor : !vendorRefused && typeof raw.vendor === 'string' ? raw.vendor.trim() : undefined;
  const productIds = parsed.ok
    ? parsed.value.fields.productIds
    : Array.isArray(raw.product_ids) && raw.product_ids.every((p) => typeof p === 'string' && /^\d{1,20}$/.test(p)) && raw.product_ids.length <= 100
      ? [...new Set(raw.product_ids as string[])]
      : [];
  return db.transaction().execute(async (tx): Promise<CampaignWrite> => {
    const catalog = vendor ? await catalogIssues(tx, shop, vendor, productIds) : [];
    const issues = [...(parsed.ok ? [] : parsed.issues), ...catalog];
    if (!parsed.ok || issues.length) return { ok: false, reason: 'invalid', issues };
    const { fields, status } = parsed.value;
    const row = await tx
      .insertInto('sponsored_campaigns')
      .values({
        shop,
        name: fields.name,
        vendor: fields.vendor,
        advertiser: fields.advertiser,
        max_cpc_minor: fields.maxCpcMinor,
        daily_budget_minor: fields.dailyBudgetMinor,
        total_budget_minor: fields.totalBudgetMinor,
        currency,
        starts_at: fields.startsAt,
        ends_at: fields.endsAt,
        placements: JSON.stringify(fields.placements),
        status,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = String(row.id);
    await replaceProducts(tx, shop, id, fields.productIds);
    const campaign = await getCampaign(tx, shop, id, { day: spendDay(nowMs) });
    return { ok: true, campaign: campaign! };
  });
}

/**
 * Applies a PATCH body to one of the shop's campaigns under its row lock (the charger moves its
 * spend under the same lock, so "not below what is spent" holds against a concurrent charge).
 * The merged campaign is validated; the catalog only when the vendor or the products change, so
 * that a product since deleted or moved to another vendor never keeps a merchant from pausing.
 */
export async function updateCampaign(db: Db, { shop, id, body, nowMs }: { shop: string; id: string; body: unknown; nowMs: number }): Promise<CampaignWrite> {
  if (!isCampaignId(id)) return { ok: false, reason: 'not_found' };
  return db.transaction().execute(async (tx): Promise<CampaignWrite> => {
    const locked = await tx
      .selectFrom('sponsored_campaigns')
      .select('id')
      .where('shop', '=', shop)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return { ok: false, reason: 'not_found' };
    const day = spendDay(nowMs);
    const current = (await getCampaign(tx, shop, id, { day }))!;
    if (current.status === 'ended') {
      return { ok: false, reason: 'invalid', issues: [{ field: 'status', message: 'the campaign has ended: it can no longer be changed' }] };
    }
    const parsed = parseCampaignPatch(body, { currency: current.currency });
    if (!parsed.ok) return { ok: false, reason: 'invalid', issues: parsed.issues };
    const patch = parsed.value;
    const { status: nextStatus = current.status, ...changes } = patch;
    const merged: CampaignFields = {
      name: current.name,
      vendor: current.vendor,
      advertiser: current.advertiser,
      productIds: current.productIds,
      maxCpcMinor: current.maxCpcMinor,
      dailyBudgetMinor: current.dailyBudgetMinor,
      totalBudgetMinor: current.totalBudgetMinor,
      startsAt: current.startsAt,
      endsAt: current.endsAt,
      placements: current.placements,
      ...changes,
    };
    // An advertiser that only defaulted to the vendor follows the vendor.
    if (patch.vendor !== undefined && patch.advertiser === undefined && current.advertiser === current.vendor) merged.advertiser = patch.vendor;
    const issues = [
      ...checkCampaignFields(merged, current.currency),
      ...checkStatusAndSpend({ from: current.status, to: nextStatus, totalBudgetMinor: merged.totalBudgetMinor, spentTotalMinor: current.spentTotalMinor }, current.currency),
    ];
    if (patch.vendor !== undefined || patch.productIds !== undefined) issues.push(...(await catalogIssues(tx, shop, merged.vendor, merged.productIds)));
    if (issues.length) return { ok: false, reason: 'invalid', issues };

    await tx
      .updateTable('sponsored_campaigns')
      .set({
        name: merged.name,
        vendor: merged.vendor,
        advertiser: merged.advertiser,
        max_cpc_minor: merged.maxCpcMinor,
        daily_budget_minor: merged.dailyBudgetMinor,
        total_budget_minor: merged.totalBudgetMinor,
        starts_at: merged.startsAt,
        ends_at: merged.endsAt,
        placements: JSON.stringify(merged.placements),
        status: nextStatus,
        updated_at: sql`now()`,
      })
      .where('shop', '=', shop)
      .where('id', '=', id)
      .execute();
    if (patch.productIds !== undefined) await replaceProducts(tx, shop, id, merged.productIds);
    return { ok: true, campaign: (await getCampaign(tx, shop, id, { day }))! };
  });
}
