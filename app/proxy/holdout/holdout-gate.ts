import { customerPseudonym } from '../../../shared/crypto';
import type { Db } from '../../../shared/db';
import { exposureDay, holdoutGroup, readHoldoutShare, type HoldoutGroup } from '../../../shared/holdout';
import type { Logger } from '../../../shared/logger';
import type { Redis } from '../../../shared/redis';
import { CatalogCache } from '../recommendations/catalog-cache';

/** How long an exposure's Redis gate lives, in seconds: two days, so a UTC day is covered whatever the hour. */
export const EXPOSURE_GATE_SECONDS = 172_800;
/** Exposures a web process remembers having gated today (then it forgets them all and asks Redis again). */
const REMEMBERED_EXPOSURES = 100_000;

export interface HoldoutGateOptions {
  db: Db;
  redis: Redis;
  logger: Logger;
  /** QUEUE_PREFIX: the exposure gates sit under it. */
  queuePrefix: string;
  /** CUSTOMER_ID_KEY: visitor ids become the pseudonym the events endpoint stores. */
  customerIdKey: string;
  /** How long a shop's holdout share stays in memory, in ms (STOREFRONT_CACHE_SECONDS). */
  cacheMs: number;
  /** Epoch ms. */
  now: () => number;
}

/**
 * Which group a block's visitor is in (docs/holdout.md), with the shop's share from memory (no
 * database read on the request path once a shop is loaded), and the visitor's exposure of the
 * day recorded once, in the background: a Redis SET NX per visitor and UTC day decides (skipped
 * for visitors this process already gated today), then one insert. An exposure that fails is logged and never changes the answer.
 */
export class HoldoutGate {
  private readonly shares: CatalogCache<number>;
  /** Gates this process already passed today: a visitor's later blocks of the day skip Redis. */
  private remembered = { day: '', keys: new Set<string>() };

  constructor(private readonly options: HoldoutGateOptions) {
    const { db, now, logger, cacheMs } = options;
    this.shares = new CatalogCache<number>({ load: (shop) => readHoldoutShare(db, shop), ttlMs: cacheMs, now, logger, what: 'holdout share' });
  }

  /** The visitor's group, or null when the share cannot be read (the block shows, nothing is recorded). */
  async assign(shop: string, visitorId: string): Promise<HoldoutGroup | null> {
    let shareBp: number;
    try {
      shareBp = await this.shares.get(shop);
    } catch (err) {
      this.options.logger.warn({ err, shop }, 'holdout share unreadable: showing the block outside the experiment');
      return null;
    }
    // No holdout, no experiment: nothing to compare, nothing recorded.
    if (shareBp <= 0) return 'treatment';
    const visitorKey = customerPseudonym(this.options.customerIdKey, shop, `visitor:${visitorId}`);
    const group = holdoutGroup(shop, visitorKey, shareBp);
    this.expose(shop, visitorKey, group);
    return group;
  }

  private expose(shop: string, visitorKey: string, group: HoldoutGroup): void {
    const { redis, db, logger, queuePrefix, now } = this.options;
    const at = now();
    const day = exposureDay(at);
    const gate = `${queuePrefix}:holdout:${shop}:${day}:${visitorKey}`;
    if (this.remembered.day !== day || this.remembered.keys.size >= REMEMBERED_EXPOSURES) this.remembered = { day, keys: new Set() };
    if (this.remembered.keys.has(gate)) return;
    this.remembered.keys.add(gate);
    redis
      .set(gate, group, 'EX', EXPOSURE_GATE_SECONDS, 'NX')
      .then(async (claimed) => {
        if (claimed !== 'OK') return;
        try {
          await db
            .insertInto('holdout_exposures')
            .values({ shop, day, visitor_key: visitorKey, grp: group, first_seen_at: new Date(at) })
            .onConflict((oc) => oc.columns(['shop', 'day', 'visitor_key']).doNothing())
            .execute();
        } catch (err) {
          // The next request of the day tries again.
          await redis.del(gate).catch(() => undefined);
          throw err;
        }
      })
      .catch((err: unknown) => {
        // Whether Redis or the insert failed, this process must not skip the visitor for the rest
        // of the day: forget it, so a later request tries again.
        this.remembered.keys.delete(gate);
        logger.warn({ err, shop }, 'holdout exposure not recorded');
      });
  }
}
