import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createRedis, type Redis } from '../../../shared/redis';
import {
  decodeStreamEntry,
  encodeStreamEntry,
  storefrontEventStreamKey,
  STOREFRONT_EVENTS_GROUP,
  STREAM_ENTRY_FIELD,
  type StorefrontEventEntry,
} from '../../../shared/tracking';
import { createEventsConsumer, writeEventBatch, type EntriesHandled } from '../../../worker/events';
import { campaignMoney, insertCampaign } from '../../shared/sponsored/support/campaigns';
import { testRuntime } from '../../support/runtime';
import { drainEvents, storedEvents } from '../../support/storefront-event-store';

const SHOP = 'sponsor-charge.myshopify.com';
const AT = Date.UTC(2026, 10, 28, 15, 30);

function eventId(): string {
  return randomUUID().replace(/-/g, '');
}

/** A stream entry as the web process appends it; a sponsored click unless told otherwise. */
function entry(overrides: Partial<StorefrontEventEntry> = {}): StorefrontEventEntry {
  const impressionId = overrides.impression_id ?? `imp${eventId().slice(0, 12)}`;
  return {
    v: 1,
    shop: SHOP,
    id: eventId(),
    type: 'click',
    occurred_at: AT - 500,
    received_at: AT,
    consent: true,
    visitor_key: null,
    customer_key: null,
    impression_id: impressionId,
    placement: 'sponsored',
    product_id: '7001',
    position: 1,
    model_version: '3',
    sponsored: true,
    token: `2.s0.1.7001.x.${impressionId}.3.sig`,
    ...overrides,
  };
}

/** A pino logger whose lines a test can read: the consumer's warnings are part of its contract. */
function capturedLogger() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, warnings: () => lines.filter((l) => l.level === 40) };
}

describe.each(['pglite', 'postgres'] as const)('sponsored clicks charged by the events consumer (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let stream: string;

  beforeEach(async () => {
    runtime = await testRuntime({ backend });
    stream = storefrontEventStreamKey(runtime.config.queuePrefix);
  });
  afterEach(async () => {
    await runtime.close();
  });

  const append = (e: StorefrontEventEntry) => runtime.redis.xadd(stream, '*', STREAM_ENTRY_FIELD, encodeStreamEntry(e));

  it('charges sponsored clicks once each, and nothing for impressions, organic clicks, redeliveries or unknown campaigns', async () => {
    const campaign = await insertCampaign(runtime.db, { shop: SHOP, maxCpcMinor: 40, dailyBudgetMinor: 1000, totalBudgetMinor: 5000, currency: 'EUR' });
    const other = await insertCampaign(runtime.db, { shop: 'another-shop.myshopify.com', dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const first = entry({ campaign_id: campaign, price_minor: 31, visitor_key: 'vk1' });
    const second = entry({ campaign_id: campaign, price_minor: 17, product_id: '7002' });
    const impression = entry({ type: 'impression', campaign_id: campaign, price_minor: 31 });
    const organic = entry({ sponsored: false, placement: 'related' });
    const addToCart = entry({ type: 'add_to_cart', campaign_id: campaign, price_minor: 31, variant_id: '4001', quantity: 1 });
    const doubleClick = { ...first, id: eventId(), received_at: AT + 2000 };
    const foreign = entry({ campaign_id: other, price_minor: 20 });
    const deleted = entry({ campaign_id: '987654321', price_minor: 20 });

    for (const e of [first, impression, organic, second, addToCart, first, doubleClick, foreign, deleted]) await append(e);
    const { logger, warnings } = capturedLogger();
    const handled = await drainEvents(runtime, { logger });
    expect(handled).toMatchObject({ acked: 9, stored: 8, duplicates: 1, deadLettered: 0, charged: 2 });

    const money = await campaignMoney(runtime.db, campaign);
    expect(money.ledger.map((r) => [r.eventId, r.chargeKey, r.status, r.amountMinor, r.currency, r.day, r.visitorKey, r.token])).toEqual([
      [first.id, `${first.impression_id}:7001`, 'charged', 31, 'EUR', '2026-11-28', 'vk1', first.token],
      [second.id, `${second.impression_id}:7002`, 'charged', 17, 'EUR', '2026-11-28', null, second.token],
    ]);
    expect(money.spentTotalMinor).toBe(48);
    expect(money.days).toEqual([{ day: '2026-11-28', spentMinor: 48, clicks: 2 }]);
    expect((await campaignMoney(runtime.db, other)).ledger).toEqual([]);
    // The clicks naming no campaign of this shop are stored all the same, and reported.
    const stored = await storedEvents(runtime.db);
    expect(stored.receipts.map((r) => r.id).sort()).toEqual([first, impression, organic, second, addToCart, doubleClick, foreign, deleted].map((e) => e.id).sort());
    expect(warnings().map((w) => [w.msg, w.eventId, w.campaignId])).toEqual([
      ['sponsored click for an unknown campaign: not charged', foreign.id, other],
      ['sponsored click for an unknown campaign: not charged', deleted.id, '987654321'],
    ]);

    // Delivered again later (a replay, a second append): receipts exist, nothing more is charged.
    await append(first);
    await append(second);
    expect(await drainEvents(runtime)).toMatchObject({ acked: 2, stored: 0, duplicates: 2, charged: 0 });
    expect((await campaignMoney(runtime.db, campaign)).spentTotalMinor).toBe(48);
  });

  it('a batch written by a consumer that died before XACK is claimed by another and charges nothing twice', async () => {
    const campaign = await insertCampaign(runtime.db, { shop: SHOP, maxCpcMinor: 40, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const clicks = Array.from({ length: 4 }, (_, i) => entry({ campaign_id: campaign, price_minor: 10 + i }));
    for (const c of clicks) await append(c);
    const crashed = createRedis(runtime.config.redisUrl, { name: 'crashed-consumer' });
    try {
      await crashed.xgroup('CREATE', stream, STOREFRONT_EVENTS_GROUP, '0', 'MKSTREAM');
      const read = (await crashed.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, 'crashed', 'COUNT', 3, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]>;
      const written = await writeEventBatch(runtime.db, read[0]![1].map(([, fields]) => decodeStreamEntry(fields)).map((d) => (d.ok ? d.entry : null)!));
      expect(written.sponsored).toMatchObject({ charged: 3, amountMinor: 10 + 11 + 12 });
    } finally {
      crashed.disconnect();
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(await drainEvents(runtime, { claimIdleMs: 20 })).toMatchObject({ acked: 4, stored: 1, duplicates: 3, charged: 1 });
    const money = await campaignMoney(runtime.db, campaign);
    expect(money.ledger.map((r) => r.eventId).sort()).toEqual(clicks.map((c) => c.id).sort());
    expect(money.spentTotalMinor).toBe(10 + 11 + 12 + 13);
  });
});

describe('sponsored clicks charged by several consumers draining one stream at once (postgres)', () => {
  it('never charges a click twice nor overspends, and no batch deadlocks', async () => {
    const runtime = await testRuntime({ backend: 'postgres' });
    const stream = storefrontEventStreamKey(runtime.config.queuePrefix);
    const connections: Redis[] = [];
    try {
      // Small budgets: the day's binds on one campaign, the total on the other.
      const a = await insertCampaign(runtime.db, { shop: SHOP, maxCpcMinor: 9, dailyBudgetMinor: 200, totalBudgetMinor: 1000 });
      const b = await insertCampaign(runtime.db, { shop: SHOP, maxCpcMinor: 9, dailyBudgetMinor: 150, totalBudgetMinor: 150 });
      const entries: StorefrontEventEntry[] = [];
      const tokenPrices = new Map<string, { campaign: string; price: number }>();
      for (let i = 0; i < 240; i++) {
        const campaign = i % 2 ? a : b;
        const price = 1 + ((i * 5) % 9);
        const click = entry({ campaign_id: campaign, price_minor: price, received_at: AT + i });
        tokenPrices.set(`${click.impression_id}:${click.product_id}`, { campaign, price });
        entries.push(click);
        // A stream entry appended twice, and a second click on the same token.
        if (i % 5 === 0) entries.push(click);
        if (i % 7 === 0) entries.push({ ...click, id: eventId(), received_at: AT + i + 1 });
        if (i % 3 === 0) entries.push(entry({ type: 'impression', campaign_id: campaign, price_minor: price }));
        if (i % 4 === 0) entries.push(entry({ sponsored: false, placement: 'related' }));
      }
      const pipeline = runtime.redis.pipeline();
      for (const e of entries) pipeline.xadd(stream, '*', STREAM_ENTRY_FIELD, encodeStreamEntry(e));
      await pipeline.exec();

      const { logger, warnings } = capturedLogger();
      const consumers = Array.from({ length: 4 }, (_, i) => {
        const connection = createRedis(runtime.config.redisUrl, { forWorker: true, name: `charge-consumer-${i}` });
        connections.push(connection);
        return createEventsConsumer({ connection, redis: runtime.redis, db: runtime.db, logger, prefix: runtime.config.queuePrefix, consumerName: `c${i}`, batchSize: 9 });
      });
      const results: EntriesHandled[] = await Promise.all(consumers.map((c) => c.drain()));
      await Promise.all(consumers.map((c) => c.close()));

      // Every consumer took part, and every entry was acknowledged once.
      expect(results.every((r) => r.acked > 0)).toBe(true);
      expect(results.reduce((n, r) => n + r.acked, 0)).toBe(entries.length);
      // No batch failed and was retried (a deadlock between batches locking campaigns would).
      expect(warnings()).toEqual([]);

      const distinctIds = new Set(entries.map((e) => e.id));
      expect((await storedEvents(runtime.db)).receipts).toHaveLength(distinctIds.size);
      const ledgerKeys: string[] = [];
      let chargedRows = 0;
      for (const [campaign, spec] of [
        [a, { daily: 200, total: 1000 }],
        [b, { daily: 150, total: 150 }],
      ] as const) {
        const money = await campaignMoney(runtime.db, campaign);
        ledgerKeys.push(...money.ledger.map((r) => r.chargeKey));
        chargedRows += money.ledger.filter((r) => r.status === 'charged').length;
        const wouldPay = [...tokenPrices.values()].filter((t) => t.campaign === campaign).reduce((s, t) => s + t.price, 0);
        expect(money.spentTotalMinor).toBe(Math.min(spec.daily, spec.total, wouldPay));
        expect(money.ledgerChargedMinor).toBe(money.spentTotalMinor);
        expect(money.dailySpentMinor).toBe(money.spentTotalMinor);
        expect(money.status).toBe(money.spentTotalMinor === spec.total ? 'exhausted' : 'active');
      }
      // One ledger row per token clicked, none for anything else.
      expect(ledgerKeys.sort()).toEqual([...tokenPrices.keys()].sort());
      expect(results.reduce((n, r) => n + r.charged, 0)).toBe(chargedRows);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
      await runtime.close();
    }
  });
});
