// npm run bench:serve — the storefront endpoints under load: GET /proxy/recommendations and
// POST /proxy/events, autocannon over loopback against a web process in its own process (the
// load generator here, the server there: one event loop each on the two cores), real Redis and
// the database (PGlite by default, PostgreSQL with --postgres).
//
// A synthetic store of 4,000 products (vendors, types, tags, variants, collections, merchant
// rules, some sold out or unpublished) is seeded and one version of serving lists published for
// it. Every request is signed as Shopify's app proxy signs it, at the moment it is sent (the
// signature's timestamp must be within 90 s). Before anything is timed each placement and the
// events endpoint are asked once and must answer 200 with products / accepted events: a figure
// measured on 401s or 404s would be worthless. Non-2xx answers are counted in every run.
//
//   npm run bench:serve -- [--duration 10] [--connections 8] [--runs 3] [--warmup 3] [--postgres]
//                          [--products 4000] [--customers 2000] [--only recommendations|events]
//                          [--quiet-wait 60]   (seconds to wait, before each run, for the shared machine to go quiet)
//                          [--web-processes 1] (web processes sharing the port; above 1 needs --postgres)
//                          [--sponsored]       (40 vendors' campaigns live; every recommendations request
//                                               allows one sponsored slot, from its own shopper address)
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the web process.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { Redis } from 'ioredis';
import { migrateToLatest, openDatabase } from '../../shared/db';
import { signProxyQuery } from '../../shared/shopify';
import { recommendationTokenKey, signRecommendationToken, type TokenPlacement } from '../../shared/tracking';
import { median, startChild } from './support/child';
import { seedSponsoredCampaigns } from './support/sponsored-campaigns';
import { seededRandom, seedSyntheticStore, zipfPicker, type SyntheticStore } from './support/storefront-store';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    postgres: { type: 'boolean', default: false },
    products: { type: 'string', default: '4000' },
    customers: { type: 'string', default: '2000' },
    only: { type: 'string' },
    'quiet-wait': { type: 'string', default: '60' },
    'web-processes': { type: 'string', default: '1' },
    sponsored: { type: 'boolean', default: false },
  },
});
const DURATION = Number(flags.duration);
const CONNECTIONS = Number(flags.connections);
const RUNS = Number(flags.runs);
const WARMUP = Number(flags.warmup);
/** Beacons made ahead per second of a run (more than the endpoint is expected to take). */
const PREPARED_PER_SECOND = 4000;
/** Seconds to wait before each run for the shared machine to go quiet. */
const QUIET_WAIT = Number(flags['quiet-wait']);
const BACKEND = flags.postgres ? 'postgres' : 'pglite';
/** Web processes sharing the port (node:cluster); more than one needs PostgreSQL. */
const WEB_PROCESSES = Number(flags['web-processes']);
if (WEB_PROCESSES > 1 && !flags.postgres) throw new Error('--web-processes above 1 needs --postgres: a PGlite data directory belongs to one process');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-secret';
const SHOP = 'bench-serve.myshopify.com';
const PATH_PREFIX = '/apps/shelfwise';
/** A storefront visitor's browser: the events endpoint drops automated user agents as bots. */
const BROWSER_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();
const TARGETS = { recommendations: { rps: 3000, p99Ms: 10 }, events: { rps: 3000 } };

/** `healthz` is a reference: the same web process answering an Express route that does nothing. */
type Endpoint = 'recommendations' | 'events' | 'healthz';
const PLACEMENTS = ['fbt', 'related', 'for_you', 'cart'] as const;
type Placement = (typeof PLACEMENTS)[number];

interface RunFigures {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  responses: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** CPU time the web process spent per 2xx answer, in µs (user + system; Linux only). */
  serverCpuUs: number;
  /** CPU time this process (autocannon, signing) spent per answer, in µs. */
  generatorCpuUs: number;
  /** 200s that were not the full answer: no products, or not every event accepted. */
  shortfall: number;
  /** Share of the machine's cores busy with anything else during the run (Redis, the database, the kernel, other processes; 0-1). */
  otherLoad: number;
  /** Cores the web process kept busy during the run (1 = its one event loop saturated). */
  serverCores: number;
}

/** Busy CPU seconds of the whole machine so far, all cores (/proc/stat; NaN where there is none). */
function machineBusySeconds(): number {
  try {
    const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
    const [user, nice, system, , , irq, softirq, steal] = cpu!.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * Waits (up to `maxSeconds`) for a second in which other processes use under `share` of the
 * machine, so runs start when the shared machine is as quiet as it gets; returns what it saw.
 */
async function waitForQuiet(maxSeconds: number, share = 0.25): Promise<number> {
  let seen = NaN;
  for (let waited = 0; waited <= maxSeconds; waited++) {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seen = (machineBusySeconds() - before) / os.cpus().length;
    if (!(seen >= share)) return seen;
  }
  return seen;
}

/** User + system CPU seconds of a process and its child processes so far, from /proc (NaN where there is none). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    // Several web processes (--web-processes) are the child's own children.
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) seconds += processCpuSeconds(Number(child));
    }
    return seconds;
  } catch {
    return NaN;
  }
}

async function adminQuery(sql: string) {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(sql);
  await admin.end();
}

/** Exact percentile of sorted latencies (ms). */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The query string Shopify's app proxy forwards, signed now. */
function proxyQuery(params: Array<[string, string]>): string {
  return signProxyQuery([['shop', SHOP], ['path_prefix', PATH_PREFIX], ...params], SECRET, Math.floor(Date.now() / 1000));
}

/** With --sponsored every block allows one sponsored slot. */
const SLOT: Array<[string, string]> = flags.sponsored ? [['sponsored', '1']] : [];
/** With --sponsored each request comes from one of many shoppers' addresses (the frequency-cap subject). */
const shopperAddress = (() => {
  let n = 0;
  return () => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n++ & 255}`;
})();
/** Answers that held a sponsored product (with --sponsored). */
const sponsoredShown = { count: 0 };

/** The storefront's requests for recommendations: a mix of placements over a mix of products. */
function recommendationRequests(store: SyntheticStore, seed: number) {
  const random = seededRandom(seed);
  const product = zipfPicker(store.servableIds, random, 0.8);
  const customer = () => (random() < 0.9 ? store.customerIds[Math.floor(random() * store.customerIds.length)]! : String(990_000_000 + Math.floor(random() * 1e6)));
  const paramsFor = (placement: Placement): Array<[string, string]> => {
    switch (placement) {
      case 'fbt':
      case 'related':
        return [['logged_in_customer_id', ''], ['placement', placement], ['product_id', product()], ['limit', '4'], ...SLOT];
      case 'for_you':
        // Logged-in customers: 9 in 10 have a personal list, the rest fall back.
        return [['logged_in_customer_id', customer()], ['placement', 'for_you'], ['limit', '8'], ...SLOT];
      case 'cart': {
        const cart = new Set<string>();
        while (cart.size < 3) cart.add(product());
        return [['logged_in_customer_id', ''], ['placement', 'cart'], ['cart', [...cart].join(',')], ['limit', '4'], ...SLOT];
      }
    }
  };
  // Drawn ahead, and signed ahead as a rotating pool: `refresh` re-signs every query (before each
  // run and every 20 s during it, well inside the 90 s the signature is valid), so the load
  // generator does no HMAC per request and leaves its CPU to the server.
  const pool = Array.from({ length: 4096 }, (_, i) => paramsFor(PLACEMENTS[i % PLACEMENTS.length]!));
  let signed: string[] = [];
  const refresh = () => {
    signed = pool.map((params) => `/proxy/recommendations?${proxyQuery(params)}`);
  };
  refresh();
  let n = 0;
  return {
    next: () => signed[n++ % signed.length]!,
    refresh,
    of: (placement: Placement) => `/proxy/recommendations?${proxyQuery(paramsFor(placement))}`,
  };
}

/**
 * Beacons as blocks send them: two impressions and a click, every third with an add to cart,
 * tokens minted as the recommendations endpoint mints them, event ids unique across the whole
 * benchmark. Half the visitors gave analytics consent (their visitor id is the rate-limit
 * subject); every visitor has an address of its own, as behind Shopify's proxy (an address also
 * has a budget of its own, shared by the visitor ids it sends).
 */
function eventRequests(store: SyntheticStore, tokenKey: Buffer, seed: number) {
  const random = seededRandom(seed);
  const product = zipfPicker(store.servableIds, random, 0.8);
  const runTag = randomBytes(4).toString('hex');
  const placements: TokenPlacement[] = ['fbt', 'related', 'for_you', 'cart'];
  let n = 0;
  const make = () => {
    const i = n++;
    const now = Date.now();
    const issuedAt = Math.floor(now / 1000) - 2;
    const impressionId = `${runTag}${i.toString(36)}`;
    const placement = placements[i % placements.length]!;
    const tokens = [0, 1].map((position) =>
      signRecommendationToken(tokenKey, SHOP, { impressionId, placement, productId: product(), position, modelVersion: store.version, sponsored: false, issuedAt }),
    );
    const id = (k: number) => `${runTag}-${i.toString(36)}-${k}`;
    const events: Array<Record<string, unknown>> = [
      { id: id(0), type: 'impression', token: tokens[0], at: now - 1500 },
      { id: id(1), type: 'impression', token: tokens[1], at: now - 1500 },
      { id: id(2), type: 'click', token: tokens[0], at: now - 200 },
    ];
    if (i % 3 === 0) events.push({ id: id(3), type: 'add_to_cart', token: tokens[1], at: now, variant_id: '80000001', quantity: 1 });
    const consent = i % 2 === 0;
    const body = JSON.stringify(consent ? { consent: { analytics: true }, visitor_id: `v${runTag}${i.toString(36)}`, events } : { consent: { analytics: false }, events });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': BROWSER_UA };
    headers['x-forwarded-for'] = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    return { path: `/proxy/events?${proxyQuery([['logged_in_customer_id', '']])}`, body, headers, events: events.length };
  };
  // Beacons for a run are made before it starts (`prepare`), each still unique and signed well
  // inside 90 s of use, so minting tokens does not take CPU from the server while it is timed;
  // past the prepared ones they are made on the fly.
  let prepared: Array<ReturnType<typeof make>> = [];
  let taken = 0;
  const next = () => (taken < prepared.length ? prepared[taken++]! : make());
  next.prepare = (count: number) => {
    prepared = Array.from({ length: count }, make);
    taken = 0;
  };
  return next;
}

/**
 * What autocannon sends for an endpoint. Every 200 is read too: an empty list or a beacon not
 * stored whole (dropped as a bot, say) would be a cheaper path than the one meant to be timed,
 * so those are counted apart in `shortfall`.
 */
function loadRequest(
  endpoint: Endpoint,
  sources: { recommendations: ReturnType<typeof recommendationRequests>; events: ReturnType<typeof eventRequests>; shortfall: { count: number } },
): autocannon.Request {
  const { recommendations, events, shortfall } = sources;
  if (endpoint === 'healthz') return { method: 'GET', path: '/healthz' };
  if (endpoint === 'recommendations') {
    return {
      method: 'GET',
      setupRequest: (req) => ({
        ...req,
        path: recommendations.next(),
        headers: flags.sponsored ? { 'user-agent': BROWSER_UA, 'x-forwarded-for': shopperAddress() } : { 'user-agent': BROWSER_UA },
      }),
      onResponse: (status, body) => {
        if (status === 200 && !body.includes('"products":[{')) shortfall.count++;
        if (flags.sponsored && body.includes('"sponsored":true')) sponsoredShown.count++;
      },
    };
  }
  return {
    method: 'POST',
    setupRequest: (req, context) => {
      const next = events();
      (context as { expected?: number }).expected = next.events;
      return { ...req, path: next.path, body: next.body, headers: next.headers };
    },
    onResponse: (status, body, context) => {
      const accepted = Number(/"accepted":(\d+)/.exec(body)?.[1]);
      if (status === 200 && accepted !== (context as { expected?: number }).expected) shortfall.count++;
    },
  };
}

/** One autocannon run; latencies recorded per response (autocannon's own histogram is whole ms). */
async function timedRun(url: string, seconds: number, request: autocannon.Request, serverPid: number | undefined): Promise<RunFigures> {
  const serverCpuBefore = processCpuSeconds(serverPid);
  const generatorCpuBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: [request] }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
    instance.on('reqError', () => errors++);
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const serverCpu = processCpuSeconds(serverPid) - serverCpuBefore;
  const generatorCpu = process.cpuUsage(generatorCpuBefore);
  const others = machineBusySeconds() - machineBefore - serverCpu - (generatorCpu.user + generatorCpu.system) / 1e6;
  const sorted = Float64Array.from(latencies).sort();
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    // 2xx answers per second: a fast 4xx must not count as throughput.
    rps: latencies.length / (result.duration > 0 ? result.duration : elapsed),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    responses,
    non2xx: responses - latencies.length,
    errors: errors + result.timeouts,
    statuses,
    serverCpuUs: (serverCpu * 1e6) / Math.max(1, latencies.length),
    generatorCpuUs: (generatorCpu.user + generatorCpu.system) / Math.max(1, responses),
    shortfall: 0,
    otherLoad: Math.max(0, others / (elapsed * os.cpus().length)),
    serverCores: serverCpu / elapsed,
  };
}

/** Asks once per placement; the answer must be 200 with products, or nothing is timed. */
async function verifyRecommendations(url: string, requests: ReturnType<typeof recommendationRequests>): Promise<string[]> {
  const problems: string[] = [];
  for (const placement of PLACEMENTS) {
    const res = await fetch(url + requests.of(placement), { headers: { 'user-agent': BROWSER_UA } });
    const text = await res.text();
    let products = -1;
    let source = '';
    try {
      const body = JSON.parse(text) as { products?: unknown[]; source?: string };
      products = Array.isArray(body.products) ? body.products.length : -1;
      source = body.source ?? '';
    } catch {
      // not JSON: reported below
    }
    console.error(`  check ${placement}: ${res.status}, ${products} products, source ${source || '-'}`);
    if (res.status !== 200 || products <= 0) problems.push(`${placement}: ${res.status} ${text.slice(0, 200)}`);
  }
  return problems;
}

async function verifyEvents(url: string, next: ReturnType<typeof eventRequests>): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < 2; i++) {
    const req = next();
    const res = await fetch(url + req.path, { method: 'POST', body: req.body, headers: req.headers });
    const text = await res.text();
    console.error(`  check events (${i % 2 === 0 ? 'consent' : 'no consent'}): ${res.status} ${text.slice(0, 160)}`);
    let accepted = -1;
    try {
      accepted = (JSON.parse(text) as { accepted?: number }).accepted ?? -1;
    } catch {
      // not JSON: reported below
    }
    if (res.status !== 200 || accepted !== req.events) problems.push(`events: ${res.status} ${text.slice(0, 200)}`);
  }
  return problems;
}

async function verifyHealthz(url: string): Promise<string[]> {
  const res = await fetch(`${url}/healthz`);
  return res.status === 200 ? [] : [`healthz: ${res.status}`];
}

/** The commit measured, and whether the app's code differed from it (work in progress beside the run). */
function codeVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'app', 'shared', 'worker']).toString().trim();
    return dirty ? `${head} + uncommitted changes in ${dirty.split('\n').length} app/shared/worker files` : head;
  } catch {
    return 'unknown';
  }
}

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '-';
}

async function main() {
  const prefix = `benchserve${randomBytes(3).toString('hex')}`;
  const dataDir = path.join(os.tmpdir(), `shelfwise-bench-serve-${prefix}`);
  const database = flags.postgres ? `shelfwise_bench_${randomBytes(3).toString('hex')}` : undefined;
  if (database) await adminQuery(`create database ${database}`);
  const databaseUrl = database ? `postgres://postgres@127.0.0.1:5432/${database}` : undefined;
  const tokenEncryptionKey = randomBytes(32);
  const env: Record<string, string> = {
    SHOPIFY_API_KEY: 'bench',
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: 'http://127.0.0.1',
    TOKEN_ENCRYPTION_KEY: tokenEncryptionKey.toString('hex'),
    CUSTOMER_ID_KEY: 'bench-customer-key-000',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    PORT: '0',
    NODE_ENV: 'production',
    REDIS_URL,
    SHELFWISE_DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    BENCH_WEB_PROCESSES: String(WEB_PROCESSES),
    // The limiters run (their Redis round trip is part of what is measured) but never refuse the load.
    STOREFRONT_RATE_LIMIT_PER_MINUTE: '1000000',
    HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const redis = new Redis(REDIS_URL);
  let server: Awaited<ReturnType<typeof startChild>> | undefined;
  const rows: Array<{ endpoint: Endpoint; runs: RunFigures[]; problems: string[] }> = [];
  try {
    // Seed, then close: PGlite's data directory is the child's alone once it starts.
    const seedStarted = Date.now();
    const db = await openDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl, poolSize: 8 } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    await migrateToLatest(db);
    const store = await seedSyntheticStore({
      db,
      redis,
      prefix,
      shop: SHOP,
      customerIdKey: env.CUSTOMER_ID_KEY!,
      products: Number(flags.products),
      customers: Number(flags.customers),
      concurrency: databaseUrl ? 8 : 1,
    });
    const sponsored = flags.sponsored ? await seedSponsoredCampaigns(db, SHOP, { vendors: 40, productsPerCampaign: 25 }) : null;
    await db.destroy();
    if (sponsored) console.error(`seeded ${sponsored.campaigns} sponsored campaigns promoting ${sponsored.products} products`);
    console.error(
      `seeded ${store.productIds.length} products (${store.unavailable} sold out, ${store.unpublished} unpublished), ` +
        `${store.customerIds.length} customers with lists, version ${store.version} on ${BACKEND} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    server = await startChild('test/bench/support/web-server.ts', env);
    const url = server.firstLine.trim();
    const tokenKey = recommendationTokenKey(tokenEncryptionKey);
    const endpoints: Endpoint[] = flags.only ? [flags.only as Endpoint] : ['recommendations', 'events', 'healthz'];

    for (const endpoint of endpoints) {
      const recommendations = recommendationRequests(store, 7);
      const events = eventRequests(store, tokenKey, 11);
      console.error(`${endpoint}: checking answers before timing`);
      const problems =
        endpoint === 'recommendations'
          ? await verifyRecommendations(url, recommendations)
          : endpoint === 'events'
            ? await verifyEvents(url, events)
            : await verifyHealthz(url);
      if (problems.length) {
        console.error(`${endpoint}: NOT TIMED, the endpoint does not answer as it should:\n  ${problems.join('\n  ')}`);
        rows.push({ endpoint, runs: [], problems });
        continue;
      }
      const shortfall = { count: 0 };
      const request = loadRequest(endpoint, { recommendations, events, shortfall });
      const runs: RunFigures[] = [];
      for (let run = 0; run <= RUNS; run++) {
        const quiet = await waitForQuiet(QUIET_WAIT);
        if (quiet >= 0.25) console.error(`  (other processes kept ${(100 * quiet).toFixed(0)} % of the machine busy; running anyway)`);
        const seconds = run === 0 ? WARMUP : DURATION;
        if (endpoint === 'events') events.prepare(PREPARED_PER_SECOND * seconds);
        recommendations.refresh();
        const resign = setInterval(recommendations.refresh, 20_000);
        shortfall.count = 0;
        sponsoredShown.count = 0;
        const figures = await timedRun(url, seconds, request, server.child.pid).finally(() => clearInterval(resign));
        figures.shortfall = shortfall.count;
        if (flags.sponsored && endpoint === 'recommendations') console.error(`  answers with a sponsored product: ${sponsoredShown.count} of ${figures.responses}`);
        const codes = Object.entries(figures.statuses).map(([code, count]) => `${code}: ${count}`).join(', ');
        console.error(
          `${endpoint} ${run === 0 ? 'warm-up' : `run ${run}`}: ${figures.rps.toFixed(0)} req/s, p50 ${ms(figures.p50)} p90 ${ms(figures.p90)} ` +
            `p99 ${ms(figures.p99)} p99.9 ${ms(figures.p999)} ms, non-2xx ${figures.non2xx}, errors ${figures.errors} (${codes}), 200 but ${endpoint === 'events' ? 'not all accepted' : 'no products'} ${figures.shortfall}; ` +
            `CPU per answer: server ${figures.serverCpuUs.toFixed(0)} µs, load generator ${figures.generatorCpuUs.toFixed(0)} µs; ` +
            `server ${figures.serverCores.toFixed(2)} cores busy; everything else ${(100 * figures.otherLoad).toFixed(0)} % of the machine`,
        );
        if (run > 0) runs.push(figures);
      }
      rows.push({ endpoint, runs, problems });
    }
  } finally {
    await server?.stop();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    if (database) await adminQuery(`drop database if exists ${database}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const cpu = os.cpus();
  console.log('');
  console.log(`Storefront serving — ${new Date().toISOString().slice(0, 10)}`);
  console.log(
    `command: npm run bench:serve -- --duration ${DURATION} --connections ${CONNECTIONS} --runs ${RUNS}${flags.postgres ? ' --postgres' : ''}${WEB_PROCESSES > 1 ? ` --web-processes ${WEB_PROCESSES}` : ''}` +
      `${flags.only ? ` --only ${flags.only}` : ''}${flags.sponsored ? ' --sponsored' : ''}`,
  );
  console.log(`code: ${codeVersion()}`);
  console.log(`backend: ${BACKEND}; Node ${process.version}; CPU ${cpu.length} x ${cpu[0]?.model ?? 'unknown'}; ${Math.round(os.totalmem() / 2 ** 30)} GiB; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${Number(flags.products)} products, ${CONNECTIONS} connections, median of ${RUNS} runs of ${DURATION} s (after a ${WARMUP} s warm-up); latency in ms`);
  console.log('rest of machine busy: Redis, the database server, the kernel and any other process, as a share of all cores');
  console.log('');
  console.log('| endpoint | req/s (2xx) | p50 | p90 | p99 | p99.9 | non-2xx | errors | 200, not full | server CPU / answer | server cores busy | rest of machine busy | runs (req/s / p99) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    if (!row.runs.length) {
      console.log(`| ${row.endpoint} | not timed: ${row.problems[0]?.replace(/\|/g, '/').slice(0, 80)} | | | | | | | | | | | |`);
      continue;
    }
    const m = (pick: (r: RunFigures) => number) => median(row.runs.map(pick));
    const total = (pick: (r: RunFigures) => number) => row.runs.reduce((sum, r) => sum + pick(r), 0);
    console.log(
      `| ${row.endpoint} | ${Math.round(m((r) => r.rps))} | ${ms(m((r) => r.p50))} | ${ms(m((r) => r.p90))} | ${ms(m((r) => r.p99))} | ${ms(m((r) => r.p999))} | ` +
        `${total((r) => r.non2xx)} of ${total((r) => r.responses)} | ${total((r) => r.errors)} | ${total((r) => r.shortfall)} | ${m((r) => r.serverCpuUs).toFixed(0)} µs | ${m((r) => r.serverCores).toFixed(2)} | ${(100 * m((r) => r.otherLoad)).toFixed(0)} % | ${row.runs.map((r) => `${Math.round(r.rps)} / ${ms(r.p99)}`).join(' · ')} |`,
    );
  }
  console.log('');
  for (const row of rows) {
    if (!row.runs.length) {
      console.log(`${row.endpoint}: target not assessed (not timed)`);
      continue;
    }
    const rps = median(row.runs.map((r) => r.rps));
    const p99 = median(row.runs.map((r) => r.p99));
    const non2xx = row.runs.reduce((sum, r) => sum + r.non2xx, 0);
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    if (row.endpoint === 'healthz') {
      console.log(`healthz (reference, no target): ${Math.round(rps)} req/s, p99 ${ms(p99)} ms — the same web process answering an Express route that does nothing`);
    } else if (row.endpoint === 'recommendations') {
      console.log(
        `recommendations: >= ${TARGETS.recommendations.rps} req/s ${met(rps >= TARGETS.recommendations.rps)} (${Math.round(rps)}); ` +
          `p99 <= ${TARGETS.recommendations.p99Ms} ms ${met(p99 <= TARGETS.recommendations.p99Ms)} (${ms(p99)})${non2xx ? `; ${non2xx} non-2xx answers` : ''}`,
      );
    } else {
      console.log(`events: >= ${TARGETS.events.rps} req/s ${met(rps >= TARGETS.events.rps)} (${Math.round(rps)})${non2xx ? `; ${non2xx} non-2xx answers` : ''}`);
    }
  }
  // Targets are reported, never enforced; an endpoint that could not be timed is a failure.
  if (rows.some((r) => !r.runs.length)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
