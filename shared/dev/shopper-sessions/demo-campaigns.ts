import type { Db } from '../../db';
import { currencyExponent, fromMinorUnits } from '../../money';
import { createCampaign, listCampaigns, spendDay } from '../../sponsored';
import { unitsSold } from './units-sold';
import type { WebhookDeliveries } from './webhook-deliveries';

/**
 * The development data names no vendor (shared/catalog-csv), and a campaign promotes a vendor's
 * products. So, as a merchant would in Shopify's admin, the demo gives groups of products a vendor
 * by what their titles say; Shopify then sends products/update, which is what we send.
 */
export const DEMO_VENDORS = [
  { vendor: 'Retrospot Studio', titleWord: 'RETROSPOT', maxCpcMajor: 0.45 },
  { vendor: 'Regency Tableware', titleWord: 'REGENCY', maxCpcMajor: 0.6 },
  { vendor: 'Heart & Home', titleWord: 'HEART', maxCpcMajor: 0.35 },
] as const;

/** Most products given a vendor and promoted per demo campaign. */
export const PRODUCTS_PER_CAMPAIGN = 40;
const DAILY_BUDGET_MAJOR = 40;
const TOTAL_BUDGET_MAJOR = 600;
const CAMPAIGN_PLACEMENTS = ['related', 'fbt', 'for_you', 'cart', 'sponsored'];
/** How long to wait for the worker to store the vendor changes, in ms. */
const VENDOR_WAIT_MS = 120_000;

export interface DemoCampaignsOutcome {
  created: number;
  existing: number;
  vendors: string[];
  failures: string[];
}

const campaignName = (vendor: string) => `Demo: ${vendor}`;

/**
 * 2–3 active campaigns for vendors of the catalog, found by name on a rerun. A catalog whose
 * products have vendors of their own keeps them: its three largest vendors get the campaigns.
 */
export async function ensureDemoCampaigns(deps: { db: Db; shop: string; currency: string; seed: number; now: () => number; webhooks: WebhookDeliveries }): Promise<DemoCampaignsOutcome> {
  const { db, shop, currency } = deps;
  const outcome: DemoCampaignsOutcome = { created: 0, existing: 0, vendors: [], failures: [] };
  const existing = new Set((await listCampaigns(db, shop, { day: spendDay(deps.now()) })).map((c) => c.name));
  const groups = (await ownVendors(db, shop)) ?? (await assignDemoVendors({ ...deps, skip: existing }));
  const unit = 10 ** currencyExponent(currency);
  for (const group of groups) {
    outcome.vendors.push(group.vendor);
    if (existing.has(campaignName(group.vendor))) {
      outcome.existing++;
      continue;
    }
    const money = (major: number) => fromMinorUnits(Math.max(1, Math.round(major * unit)), currency);
    const written = await createCampaign(db, {
      shop,
      currency,
      nowMs: deps.now(),
      body: {
        name: campaignName(group.vendor),
        vendor: group.vendor,
        advertiser: group.vendor,
        product_ids: group.productIds,
        max_cpc: money(group.maxCpcMajor),
        daily_budget: money(DAILY_BUDGET_MAJOR),
        total_budget: money(TOTAL_BUDGET_MAJOR),
        placements: CAMPAIGN_PLACEMENTS,
        status: 'active',
      },
    });
    if (written.ok) outcome.created++;
    else outcome.failures.push(`campaign for ${group.vendor}: ${written.reason === 'invalid' ? written.issues.map((i) => `${i.field} ${i.message}`).join('; ') : written.reason}`);
  }
  return outcome;
}

interface VendorGroup {
  vendor: string;
  productIds: string[];
  maxCpcMajor: number;
}

/** The catalog's own vendors (three largest), or null when it has fewer than two. */
async function ownVendors(db: Db, shop: string): Promise<VendorGroup[] | null> {
  const rows = await db
    .selectFrom('products')
    .select(['vendor', 'id'])
    .where('shop', '=', shop)
    .where('deleted_at', 'is', null)
    .where('available', '=', true)
    .where('vendor', 'is not', null)
    .where('vendor', '!=', '')
    .orderBy('vendor')
    .orderBy('id')
    .execute();
  const byVendor = new Map<string, string[]>();
  for (const row of rows) {
    const list = byVendor.get(row.vendor!) ?? [];
    list.push(row.id);
    byVendor.set(row.vendor!, list);
  }
  const demo = new Set<string>(DEMO_VENDORS.map((v) => v.vendor));
  // Vendors the demo gave out earlier are the demo's own, found again by its keyword pass.
  if ([...byVendor.keys()].some((v) => demo.has(v)) || byVendor.size < 2) return null;
  return [...byVendor.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, DEMO_VENDORS.length)
    .map(([vendor, ids], i) => ({ vendor, productIds: ids.slice(0, PRODUCTS_PER_CAMPAIGN), maxCpcMajor: DEMO_VENDORS[i]!.maxCpcMajor }));
}

/**
 * Gives the best-selling products whose title holds a demo vendor's word that vendor, through
 * signed products/update webhooks, and waits until the worker has stored them. Products that
 * have it already are not sent again; a vendor whose campaign exists (`skip`, by name) is left alone.
 */
async function assignDemoVendors(deps: { db: Db; shop: string; now: () => number; webhooks: WebhookDeliveries; skip: ReadonlySet<string> }): Promise<VendorGroup[]> {
  const { db, shop } = deps;
  const groups: VendorGroup[] = [];
  const taken = new Set<string>();
  let sent = 0;
  for (const demo of DEMO_VENDORS) {
    if (deps.skip.has(campaignName(demo.vendor))) {
      // Its campaign exists: found again, its products left as they are.
      groups.push({ vendor: demo.vendor, productIds: [], maxCpcMajor: demo.maxCpcMajor });
      continue;
    }
    const candidates = await db
      .selectFrom('products as p')
      .leftJoin(unitsSold(db, shop), (join) => join.onRef('s.product_id', '=', 'p.id'))
      .selectAll('p')
      .select('s.sold')
      .where('p.shop', '=', shop)
      .where('p.deleted_at', 'is', null)
      .where('p.available', '=', true)
      .where('p.handle', 'is not', null)
      .where((eb) => eb(eb.fn('upper', ['p.title']), 'like', `%${demo.titleWord}%`))
      .execute();
    const chosen = candidates
      .filter((p) => !taken.has(p.id))
      .sort((a, b) => Number(b.sold ?? 0) - Number(a.sold ?? 0) || (a.id < b.id ? -1 : 1))
      .slice(0, PRODUCTS_PER_CAMPAIGN);
    if (chosen.length === 0) continue;
    for (const p of chosen) taken.add(p.id);
    groups.push({ vendor: demo.vendor, productIds: chosen.map((p) => p.id), maxCpcMajor: demo.maxCpcMajor });
    const toSend = chosen.filter((p) => p.vendor !== demo.vendor);
    if (!toSend.length) continue;
    const variants = await db.selectFrom('product_variants').selectAll().where('shop', '=', shop).where('product_id', 'in', toSend.map((p) => p.id)).execute();
    const at = deps.now();
    for (const p of toSend) {
      const payload = {
        id: Number(p.id),
        title: p.title,
        body_html: p.body_text,
        vendor: demo.vendor,
        product_type: p.product_type ?? '',
        handle: p.handle,
        status: p.status,
        tags: (p.tags as string[]).join(', '),
        published_at: p.published_at ? new Date(p.published_at as unknown as string).toISOString() : null,
        updated_at: new Date(at).toISOString(),
        images: p.image_url ? [{ src: p.image_url, position: 1 }] : [],
        variants: variants
          .filter((v) => v.product_id === p.id)
          .map((v) => ({
            id: Number(v.id),
            product_id: Number(p.id),
            title: v.title,
            sku: v.sku,
            price: String(v.price),
            compare_at_price: v.compare_at_price === null ? null : String(v.compare_at_price),
            inventory_quantity: v.inventory_quantity,
            inventory_policy: v.inventory_policy,
            inventory_management: v.inventory_management,
            position: v.position,
          })),
      };
      await deps.webhooks.send('products/update', `vendor:${p.id}:${demo.vendor}`, payload, at);
      sent++;
    }
  }
  if (sent) await waitForVendors(db, shop, groups.filter((g) => g.productIds.length));
  return groups;
}

async function waitForVendors(db: Db, shop: string, groups: readonly VendorGroup[]): Promise<void> {
  const until = Date.now() + VENDOR_WAIT_MS;
  for (const group of groups) {
    for (;;) {
      const row = await db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('shop', '=', shop)
        .where('vendor', '=', group.vendor)
        .where('id', 'in', group.productIds)
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= group.productIds.length) break;
      if (Date.now() > until) throw new Error(`the worker did not store the vendor ${group.vendor} within ${VENDOR_WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
