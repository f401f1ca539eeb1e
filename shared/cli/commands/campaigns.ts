import { Command, Option } from 'commander';
import type { Db } from '../../db';
import { fromMinorUnits } from '../../money';
import { CAMPAIGN_PLACEMENTS, createCampaign, listCampaigns, spendDay, updateCampaign, type Campaign, type CampaignWrite, type FieldIssue } from '../../sponsored';
import { withDatabase } from '../with-database';
import { shopOption } from './replay';

function campaignJson(c: Campaign) {
  const money = (minor: number) => fromMinorUnits(minor, c.currency);
  return {
    id: c.id,
    name: c.name,
    vendor: c.vendor,
    advertiser: c.advertiser,
    status: c.status,
    currency: c.currency,
    max_cpc: money(c.maxCpcMinor),
    daily_budget: money(c.dailyBudgetMinor),
    total_budget: money(c.totalBudgetMinor),
    spent_total: money(c.spentTotalMinor),
    spent_today: money(c.spentTodayMinor),
    starts_at: c.startsAt.toISOString(),
    ends_at: c.endsAt?.toISOString() ?? null,
    placements: c.placements,
    product_count: c.productCount || c.productIds.length,
    ...(c.productIds.length ? { product_ids: c.productIds } : {}),
  };
}

/** One line per campaign, in the merchant's words. */
export function formatCampaign(c: Campaign): string {
  const money = (minor: number) => `${fromMinorUnits(minor, c.currency)} ${c.currency}`;
  const until = c.endsAt ? ` until ${c.endsAt.toISOString()}` : '';
  return (
    `${c.id}  ${c.status.padEnd(9)} ${JSON.stringify(c.name)} for ${c.vendor}${c.advertiser === c.vendor ? '' : ` (paid by ${c.advertiser})`}: ` +
    `bid ${money(c.maxCpcMinor)}, ${money(c.dailyBudgetMinor)}/day, spent ${money(c.spentTotalMinor)} of ${money(c.totalBudgetMinor)} ` +
    `(${money(c.spentTodayMinor)} today) in ${c.placements.join(', ')}${until}`
  );
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Prints the outcome of a write; problems go to stderr, one per line, and fail the command. */
function report(outcome: CampaignWrite | { ok: false; reason: 'unknown_shop'; message: string }, flags: { json?: boolean; shop: string; id?: string }, verb: string): void {
  if (outcome.ok) {
    console.log(flags.json ? JSON.stringify(campaignJson(outcome.campaign), null, 2) : `${verb} ${formatCampaign(outcome.campaign)}`);
    return;
  }
  process.exitCode = 1;
  const issues: FieldIssue[] =
    outcome.reason === 'invalid'
      ? outcome.issues
      : outcome.reason === 'not_found'
        ? [{ field: 'id', message: `no campaign ${flags.id} for ${flags.shop}` }]
        : [{ field: 'shop', message: outcome.message }];
  if (flags.json) console.log(JSON.stringify({ error: outcome.reason === 'invalid' ? 'invalid_campaign' : outcome.reason, issues }, null, 2));
  else console.error(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
}

/** The shop's currency, which new campaigns take; null when the shop is unknown here. */
async function shopCurrency(db: Db, shop: string): Promise<string | null> {
  const row = await db.selectFrom('shops').select('currency').where('domain', '=', shop).executeTakeFirst();
  return row?.currency ?? null;
}

interface CreateFlags {
  shop: string;
  name: string;
  vendor: string;
  advertiser?: string;
  products: string[];
  maxCpc: string;
  dailyBudget: string;
  totalBudget: string;
  startsAt?: string;
  endsAt?: string;
  placements: string[];
  status?: 'draft' | 'active';
  json?: boolean;
}

/**
 * `shelfwise campaigns list|create|pause|resume`: the shop's sponsored campaigns, with the same
 * checks as the admin API (docs/sponsored.md). Money in the shop's currency ("0.45").
 */
export function registerCampaigns(program: Command): void {
  const campaigns = program.command('campaigns').description("list, create, pause or resume a shop's sponsored campaigns (docs/sponsored.md)");

  campaigns
    .command('list')
    .description("print a shop's campaigns, newest first, with their spend (today: the UTC day)")
    .requiredOption('--shop <domain>', 'the shop', shopOption)
    .option('--json', 'print a JSON array')
    .action(async (flags: { shop: string; json?: boolean }) => {
      const all = await withDatabase((db) => listCampaigns(db, flags.shop, { day: spendDay(Date.now()) }));
      if (flags.json) console.log(JSON.stringify(all.map(campaignJson), null, 2));
      else console.log(all.length ? all.map(formatCampaign).join('\n') : `no campaigns for ${flags.shop}`);
    });

  campaigns
    .command('create')
    .description("create a campaign for a vendor of the shop's catalog (draft unless --status active)")
    .requiredOption('--shop <domain>', 'the shop', shopOption)
    .requiredOption('--name <name>', 'what the merchant calls it')
    .requiredOption('--vendor <vendor>', "the catalog vendor whose products it promotes (as in the products' vendor field)")
    .option('--advertiser <name>', 'who pays, when not the vendor itself')
    .requiredOption('--products <ids>', 'comma-separated product ids of that vendor (1-100)', list)
    .requiredOption('--max-cpc <amount>', 'most paid for a click, in the shop currency ("0.45")')
    .requiredOption('--daily-budget <amount>', 'most spent per UTC day (at least --max-cpc)')
    .requiredOption('--total-budget <amount>', 'most spent in all (at least --daily-budget)')
    .option('--starts-at <iso>', 'ISO 8601 start (default: now)')
    .option('--ends-at <iso>', 'ISO 8601 end (default: open-ended)')
    .requiredOption('--placements <list>', `comma-separated, among ${CAMPAIGN_PLACEMENTS.join(', ')}`, list)
    .addOption(new Option('--status <status>', 'starting status').choices(['draft', 'active']))
    .option('--json', 'print the campaign as JSON')
    .action(async (flags: CreateFlags) => {
      const outcome = await withDatabase(async (db) => {
        const currency = await shopCurrency(db, flags.shop);
        if (!currency) return { ok: false as const, reason: 'unknown_shop' as const, message: `${flags.shop} is not installed here or its currency is not known yet` };
        const body = {
          name: flags.name,
          vendor: flags.vendor,
          ...(flags.advertiser !== undefined ? { advertiser: flags.advertiser } : {}),
          product_ids: flags.products,
          max_cpc: flags.maxCpc,
          daily_budget: flags.dailyBudget,
          total_budget: flags.totalBudget,
          ...(flags.startsAt !== undefined ? { starts_at: flags.startsAt } : {}),
          ...(flags.endsAt !== undefined ? { ends_at: flags.endsAt } : {}),
          placements: flags.placements,
          ...(flags.status ? { status: flags.status } : {}),
        };
        return createCampaign(db, { shop: flags.shop, currency, body, nowMs: Date.now() });
      });
      report(outcome, flags, 'created');
    });

  for (const [name, status, description] of [
    ['pause', 'paused', 'pause an active campaign (it stops bidding at once; spend so far stays)'],
    ['resume', 'active', 'start a draft, or resume a paused campaign (an exhausted one needs a higher total budget first)'],
  ] as const) {
    campaigns
      .command(name)
      .description(description)
      .requiredOption('--shop <domain>', 'the shop', shopOption)
      .requiredOption('--id <id>', 'the campaign id (see campaigns list)')
      .option('--json', 'print the campaign as JSON')
      .action(async (flags: { shop: string; id: string; json?: boolean }) => {
        const outcome = await withDatabase((db) => updateCampaign(db, { shop: flags.shop, id: flags.id, body: { status }, nowMs: Date.now() }));
        report(outcome, flags, name === 'pause' ? 'paused' : 'resumed');
      });
  }
}
