import fs from 'node:fs';
import type { Command } from 'commander';
import { recordInstall } from '../../../app/auth';
import { loadConfig } from '../../config';
import { createProgressLine, formatReplaySummary } from '../../replay';
import { formatShopperSessions, runShopperSessions, waitForStorefrontEventsStored } from '../../dev/shopper-sessions';
import { portIsFree } from '../../dev/storefront/preferred-port';
import type * as DevStorefrontModule from '../../dev/storefront/dev-storefront';
import { waitForIngestDrained } from '../ingest-drain';
import { openRuntime } from '../../runtime';
import { developmentEnv } from '../dev-env';
import { loadThroughWebhooks } from '../load-through-webhooks';
import { displayRedisUrl, ensureRedis } from '../local-redis';
import { runTraining } from '../../../worker/train';
import { closerStack, onShutdown, type CloserStack } from '../shutdown';
import { DEV_SHOP, positiveInt, shopOption } from './replay';
import { DEVELOPMENT_DATASET } from '../../dev/dataset';
import { localAdminUrl, startRoles } from './start';
import { formatTraining } from './train';

/** The development dataset, committed in the repository's `data/`. */
export const DEFAULT_CSV = DEVELOPMENT_DATASET;
/**
 * `--fast`: every 40th customer of the whole year (about 11,000 rows): a store small enough to load
 * in seconds that still has a test window and returning customers, so a real model is trained.
 */
const FAST_EVERY_NTH_CUSTOMER = 40;
/** Simulated shoppers after training (docs/demo-traffic.md); `--fast` runs fewer. */
const DEMO_SHOPPERS = 2_000;
const FAST_SHOPPERS = 200;
/** The shopper simulation's seed: the same traffic on every run, so a rerun adds nothing. */
const DEMO_SHOPPER_SEED = 20_261_128;
/** 20 % held out (the shop default is 5 %): enough holdout visitors for a lift from 2,000 shoppers. */
const DEMO_HOLDOUT_SHARE_BP = 2_000;
/** Ports the served demo takes when they are free (bookmarks keep working); busy ones fall back to free ports. */
const APP_PORT = 3000;
const STOREFRONT_PORT = 3002;

interface DemoFlags {
  csv: string;
  shop: string;
  fast?: boolean;
  limit?: number;
  everyNthCustomer?: number;
  /** False with --no-serve; --serve (the default) is accepted for older scripts. */
  serve?: boolean;
  progress: boolean;
  train: boolean;
  /** Visitors to simulate; false with --no-shoppers. */
  shoppers?: number | false;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the app and worker on embedded defaults, load the development store through signed webhooks, train, simulate shoppers, then serve the storefront and the admin until Ctrl-C')
    .option('--csv <file>', 'Online Retail II layout file', DEFAULT_CSV)
    .option('--shop <domain>', 'development shop domain', shopOption, DEV_SHOP)
    .option('--fast', `load every ${FAST_EVERY_NTH_CUSTOMER}th customer's orders of the whole period (a model is still trained) and fewer shoppers`)
    .option('--limit <n>', 'load only the first N rows', positiveInt)
    .option('--every-nth-customer <n>', "load only every N-th customer's rows (customer id divisible by N; guest orders left out)", positiveInt)
    .option('--serve', 'keep serving after loading (the default; accepted for older scripts)')
    .option('--no-serve', 'load, train and simulate, then exit (scripts and tests)')
    .option('--no-progress', 'no progress line on stderr')
    .option('--no-train', "skip training the store's models after loading")
    .option('--shoppers <n>', `simulated shoppers browsing and buying after training (default ${DEMO_SHOPPERS.toLocaleString('en')}, ${FAST_SHOPPERS} with --fast)`, positiveInt)
    .option('--no-shoppers', 'no simulated shopper traffic')
    .action(async (flags: DemoFlags) => {
      if (!fs.existsSync(flags.csv)) throw new Error(`no dataset at ${flags.csv}: pass --csv FILE`);
      const env = developmentEnv(process.env);
      const redis = await ensureRedis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      // Everything started from here on stops in reverse order, on success, failure or Ctrl-C,
      // and a private Redis this run started stops last.
      const closers = closerStack((error) => console.error(`shutting down: ${error instanceof Error ? error.message : String(error)}`));
      closers.push(() => redis.stop());
      try {
        await runDemo(flags, env, redis.url, closers);
      } catch (error) {
        // After Ctrl-C a step fails because its connections were closed: the signal's exit follows the close.
        const interrupted = closers.stopping;
        await closers.stop();
        if (!interrupted) throw error;
      }
    });
}

/** PORT when the environment names one; else the stable port when free, any free port otherwise. */
async function appPort(env: NodeJS.ProcessEnv, serve: boolean): Promise<string> {
  if (env.PORT) return env.PORT;
  return serve && (await portIsFree(APP_PORT)) ? String(APP_PORT) : '0';
}

async function runDemo(flags: DemoFlags, env: Record<string, string | undefined>, redisUrl: string, closers: CloserStack): Promise<void> {
  const serve = flags.serve !== false;
  // The demo's admin runs standalone on this machine: a local session instead of Shopify's admin.
  const config = loadConfig({ ADMIN_LOCAL_SESSION: 'true', ...env, PORT: await appPort(process.env, serve), REDIS_URL: redisUrl });
  const runtime = await openRuntime(config, 'demo');
  closers.push(() => runtime.close());
  // Ctrl-C once serving (or closing after --no-serve) is the expected way out (exit 0); before that it interrupts the run (130).
  let completed = false;
  onShutdown(() => closers.stop(), runtime.logger, { done: () => completed });
  const running = await startRoles(runtime, ['web', 'worker']);
  closers.push(() => running.close());

  await recordInstall(runtime.db, { shop: flags.shop, scope: config.shopify.scopes.join(','), currency: 'GBP', at: new Date() });
  console.log(`Shelfwise demo: ${config.database.kind} at ${config.database.kind === 'pglite' ? config.database.dataDir : 'DATABASE_URL'}, Redis at ${displayRedisUrl(redisUrl)}`);
  console.log(`web process at ${running.url}; replaying ${flags.csv} as ${flags.shop}`);

  const result = await loadThroughWebhooks({
    runtime,
    webUrl: running.url!,
    csv: flags.csv,
    shop: flags.shop,
    limit: flags.limit,
    everyNthCustomer: flags.everyNthCustomer ?? (flags.fast ? FAST_EVERY_NTH_CUSTOMER : undefined),
    progress: flags.progress,
  });
  const c = result.counts;
  console.log(formatReplaySummary(result.replay));
  console.log(
    [
      `in the store for ${flags.shop} after ${(result.elapsedMs / 1000).toFixed(1)} s:`,
      `  products: ${c.products} (${c.availableProducts} available), variants: ${c.variants}`,
      `  orders: ${c.orders} (${c.cancelledOrders} cancelled), line items: ${c.lineItems}, refunds: ${c.refunds}, customers: ${c.customers}`,
      `  failed ingest jobs: ${result.failedJobs.length}`,
      ...result.failedJobs.slice(0, 10).map((f) => `    ${f.topic} ${f.id}: ${f.reason}`),
    ].join('\n'),
  );
  if (flags.train) {
    // The same run `shelfwise train` and the worker's train job make; unchanged data is skipped.
    console.log('');
    const run = await runTraining({ db: runtime.db, redis: runtime.redis, prefix: config.queuePrefix, shop: flags.shop, logger: runtime.logger });
    console.log(formatTraining(run));
  }
  if (flags.shoppers !== false) {
    // Storefront traffic through the app proxy and webhooks, so the reports have numbers.
    const visitors = typeof flags.shoppers === 'number' ? flags.shoppers : flags.fast ? FAST_SHOPPERS : DEMO_SHOPPERS;
    const progress = flags.progress ? createProgressLine({ stream: process.stderr, total: visitors, label: 'shoppers' }) : undefined;
    const visited = (done: number) => ({ sent: done, accepted: done, duplicates: 0, failed: 0, byTopic: {}, failures: [] });
    const sessions = await runShopperSessions({
      baseUrl: running.url!,
      shop: flags.shop,
      apiSecret: config.shopify.apiSecret,
      apiVersion: config.shopify.apiVersion,
      db: runtime.db,
      visitors,
      seed: DEMO_SHOPPER_SEED,
      holdoutShareBp: DEMO_HOLDOUT_SHARE_BP,
      onProgress: progress ? (done) => progress.update(visited(done)) : undefined,
    });
    progress?.done(visited(visitors));
    await waitForIngestDrained({ redis: runtime.redis, queuePrefix: config.queuePrefix, timeoutMs: 10 * 60_000 });
    await waitForStorefrontEventsStored({ redis: runtime.redis, queuePrefix: config.queuePrefix, timeoutMs: 10 * 60_000 });
    console.log(sessions.ok ? formatShopperSessions(sessions.summary) : `shopper sessions: not run (${sessions.reason})`);
  }
  if (serve) {
    // Loaded only here: the storefront renders Liquid (liquidjs), which no other command needs.
    // require, not import(): bin.cjs registers tsx for require() only (see import.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startDevStorefront } = require('../../dev/storefront/dev-storefront') as typeof DevStorefrontModule;
    const dev = await startDevStorefront({
      db: runtime.db,
      redis: runtime.redis,
      prefix: config.queuePrefix,
      shop: flags.shop,
      appUrl: running.url!,
      apiSecret: config.shopify.apiSecret,
      apiVersion: config.shopify.apiVersion,
      port: STOREFRONT_PORT,
    });
    closers.push(() => dev.close());
    console.log('');
    if (dev.showcase) console.log(`storefront: ${dev.storefront.url}/products/${dev.showcase.handle} (a product page with the blocks: Related products, Frequently bought together, Recommended for you, Sponsored products)`);
    console.log(`cart: ${dev.storefront.url}/cart (Cart upsell; "Check out" sends the order to the app as a signed orders/create webhook)`);
    if (config.admin.localSession) console.log(`admin: ${localAdminUrl(running.url!, flags.shop)} (reports and campaigns)`);
    completed = true;
    console.log(`serving the app at ${running.url} and the storefront at ${dev.storefront.url} — Ctrl-C to stop`);
    return;
  }
  // Loaded, trained and simulated: a Ctrl-C while closing interrupts nothing.
  completed = true;
  await closers.stop();
  if (result.failedJobs.length || result.replay.deliveries.failed) process.exitCode = 1;
}
