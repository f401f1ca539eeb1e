import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import type { Redis } from '../../shared/redis';
import {
  decodeStreamEntry,
  storefrontEventDeadLetterKey,
  storefrontEventStreamKey,
  STOREFRONT_EVENTS_GROUP,
  type StorefrontEventEntry,
} from '../../shared/tracking';
import { backoffMs, DEFAULT_BACKOFF, sleep, type BackoffOptions } from './backoff';
import { claimStale, ensureGroup, forgetIdleConsumers, readNew, trimAcknowledged, type StreamEntry } from './stream-commands';
import { writeEventBatch, type BatchWritten } from './write-batch';

/** Dead letters kept (approximately): enough to diagnose, never a second unbounded stream. */
const DEAD_LETTER_MAX = 100_000;

export interface EventsConsumerOptions {
  /**
   * A Redis connection of its own: XREADGROUP blocks it. Open it with `maxRetriesPerRequest: null`
   * (createRedis `forWorker`) so a Redis restart stalls the consumer instead of failing it.
   */
  connection: Redis;
  /** Another connection, used only to wake the blocked read on close (CLIENT UNBLOCK). */
  redis: Redis;
  db: Db;
  logger: Logger;
  /** QUEUE_PREFIX: names the stream. */
  prefix: string;
  /** This consumer's name in the group. Default: host, pid and a random suffix (unique per start). */
  consumerName?: string;
  /** Most entries per read, and so per database transaction. Default 500. */
  batchSize?: number;
  /** How long a read waits for new entries, in ms. Default 2_000. */
  blockMs?: number;
  /** An entry read by some consumer and unacknowledged this long is taken over, in ms. Default 60_000. */
  claimIdleMs?: number;
  /** How often the consumer looks for such entries, in ms. Default 30_000 (and once at start). */
  claimEveryMs?: number;
  /** How often acknowledged entries are trimmed from the stream, in ms. Default 5_000. */
  trimEveryMs?: number;
  /** Consumers (stopped processes) idle this long with nothing pending are removed from the group, in ms. Default 86_400_000. */
  forgetConsumersAfterMs?: number;
  /** Waits between retries of a failed database write or Redis call. */
  backoff?: BackoffOptions;
  /** Writes one batch; default `writeEventBatch`. Tests wrap it to inject faults. */
  writeBatch?: (db: Db, entries: readonly StorefrontEventEntry[]) => Promise<BatchWritten>;
}

/** What one pass over a set of entries did. */
export interface EntriesHandled {
  /** Entries acknowledged (stored, recognised as already stored, or dead-lettered). */
  acked: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  /** Sponsored clicks charged. */
  charged: number;
}

export interface EventsConsumer {
  readonly name: string;
  /** Starts the read loop in the background (creates the group first). */
  start(): Promise<void>;
  /**
   * Takes over stale entries, then reads until nothing new is left, and returns the totals.
   * For tests and one-off runs: call it on a consumer that was not started.
   */
  drain(): Promise<EntriesHandled>;
  /** Stops after the batch in hand (or at once when idle or backing off); unacknowledged entries stay pending for a later claim. */
  close(): Promise<void>;
}

/**
 * The storefront events consumer: reads the web process's stream in a consumer group, writes
 * each batch in one transaction (writeEventBatch), then acknowledges it. At least once: a crash
 * before XACK leaves the entries pending, another consumer (or this one after a restart) claims
 * them, and the receipts turn the second write into a no-op.
 */
export function createEventsConsumer(options: EventsConsumerOptions): EventsConsumer {
  const { connection, db, logger } = options;
  const name = options.consumerName ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const stream = storefrontEventStreamKey(options.prefix);
  const deadLetters = storefrontEventDeadLetterKey(options.prefix);
  const batchSize = options.batchSize ?? 500;
  const blockMs = options.blockMs ?? 2_000;
  const claimIdleMs = options.claimIdleMs ?? 60_000;
  const claimEveryMs = options.claimEveryMs ?? 30_000;
  const trimEveryMs = options.trimEveryMs ?? 5_000;
  const forgetConsumersAfterMs = options.forgetConsumersAfterMs ?? 86_400_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const writeBatch = options.writeBatch ?? writeEventBatch;
  const stop = new AbortController();
  let loop: Promise<void> | undefined;
  let blockedClientId: number | undefined;

  const totals = (): EntriesHandled => ({ acked: 0, stored: 0, duplicates: 0, deadLettered: 0, charged: 0 });
  const add = (a: EntriesHandled, b: EntriesHandled) => {
    a.acked += b.acked;
    a.stored += b.stored;
    a.duplicates += b.duplicates;
    a.deadLettered += b.deadLettered;
    a.charged += b.charged;
  };

  /** The database write, retried with backoff until it succeeds or the consumer stops. */
  async function writeWithRetry(entries: StorefrontEventEntry[]): Promise<BatchWritten | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeBatch(db, entries);
      } catch (error) {
        if (stop.signal.aborted) return null;
        const waitMs = backoffMs(attempt, backoff);
        logger.warn({ err: error, events: entries.length, attempt, waitMs }, 'storefront events batch not written; retrying');
        await sleep(waitMs, stop.signal);
        if (stop.signal.aborted) return null;
      }
    }
  }

  async function handle(entries: StreamEntry[]): Promise<EntriesHandled> {
    const done = totals();
    if (!entries.length) return done;
    const good: StorefrontEventEntry[] = [];
    const bad: Array<{ id: string; fields: string[]; reason: string }> = [];
    for (const [id, fields] of entries) {
      const decoded = decodeStreamEntry(fields);
      if (decoded.ok) good.push(decoded.entry);
      else bad.push({ id, fields, reason: decoded.reason });
    }
    if (good.length) {
      const written = await writeWithRetry(good);
      // Stopped while the database was failing: nothing is acknowledged, a later claim retries.
      if (!written) return done;
      done.stored = written.stored;
      done.duplicates = written.duplicates;
      done.charged = written.sponsored.charged;
      // A token names a campaign the shop no longer has (deleted since, or another shop's): the click stays stored, uncharged.
      for (const u of written.sponsored.unknownCampaigns) {
        logger.warn({ shop: u.shop, eventId: u.eventId, campaignId: u.campaignId }, 'sponsored click for an unknown campaign: not charged');
      }
    }
    const tx = connection.multi();
    for (const b of bad) {
      logger.error({ streamId: b.id, reason: b.reason }, 'malformed storefront event entry: dead-lettered');
      tx.xadd(deadLetters, 'MAXLEN', '~', DEAD_LETTER_MAX, '*', 'stream_id', b.id, 'reason', b.reason, 'fields', JSON.stringify(b.fields), 'consumer', name);
    }
    // Dead letters and the acknowledgement together: a malformed entry is never dropped uncopied.
    tx.xack(stream, STOREFRONT_EVENTS_GROUP, ...entries.map(([id]) => id));
    await tx.exec();
    done.acked = entries.length;
    done.deadLettered = bad.length;
    return done;
  }

  async function reclaim(): Promise<EntriesHandled> {
    const done = totals();
    let cursor = '0-0';
    do {
      const page = await claimStale(connection, stream, name, { minIdleMs: claimIdleMs, count: batchSize, cursor });
      if (page.entries.length) {
        logger.info({ entries: page.entries.length, consumer: name }, 'storefront events reclaimed from a stalled consumer');
        add(done, await handle(page.entries));
      }
      cursor = page.next;
    } while (cursor !== '0-0' && !stop.signal.aborted);
    const forgotten = await forgetIdleConsumers(connection, stream, { keep: name, idleMs: forgetConsumersAfterMs });
    if (forgotten.length) logger.info({ consumers: forgotten }, 'idle storefront events consumers removed from the group');
    return done;
  }

  async function run(): Promise<void> {
    let lastClaim = -Infinity;
    let lastTrim = Date.now();
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        if (Date.now() - lastClaim >= claimEveryMs) {
          await reclaim();
          lastClaim = Date.now();
        }
        const entries = await readNew(connection, stream, name, batchSize, blockMs);
        await handle(entries);
        if (Date.now() - lastTrim >= trimEveryMs) {
          await trimAcknowledged(connection, stream);
          lastTrim = Date.now();
        }
        failures = 0;
      } catch (error) {
        if (stop.signal.aborted) break;
        failures++;
        // The stream (and its group) can vanish under us (a flush, a test's clean-up): recreate.
        if (error instanceof Error && error.message.startsWith('NOGROUP')) {
          await ensureGroup(connection, stream).catch(() => undefined);
        } else {
          logger.error({ err: error, attempt: failures }, 'storefront events consumer error');
        }
        await sleep(backoffMs(failures, backoff), stop.signal);
      }
    }
  }

  async function rememberClientId(): Promise<void> {
    blockedClientId = Number(await connection.client('ID'));
  }
  // A reconnect gives the connection a new id: keep the one CLIENT UNBLOCK must name.
  const onReady = () => void rememberClientId().catch(() => undefined);

  return {
    name,
    async start() {
      if (loop) return;
      await ensureGroup(connection, stream);
      await rememberClientId();
      connection.on('ready', onReady);
      loop = run();
      logger.info({ stream, consumer: name }, 'storefront events consumer running');
    },
    async drain() {
      await ensureGroup(connection, stream);
      const done = await reclaim();
      for (;;) {
        const entries = await readNew(connection, stream, name, batchSize, 0);
        if (!entries.length || stop.signal.aborted) break;
        add(done, await handle(entries));
      }
      return done;
    },
    async close() {
      stop.abort();
      connection.off('ready', onReady);
      if (loop) {
        // Wake the blocked XREADGROUP now rather than after blockMs.
        if (blockedClientId !== undefined) await options.redis.client('UNBLOCK', blockedClientId).catch(() => undefined);
        await loop;
        loop = undefined;
      }
    },
  };
}

/** Creates the consumer and starts its loop: what the worker process runs. */
export async function startEventsConsumer(options: EventsConsumerOptions): Promise<EventsConsumer> {
  const consumer = createEventsConsumer(options);
  await consumer.start();
  return consumer;
}
