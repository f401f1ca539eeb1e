import { HoldoutGate } from '../../../app/proxy/holdout';
import { customerPseudonym } from '../../../shared/crypto';
import type { Db } from '../../../shared/db';
import type { Redis } from '../../../shared/redis';
import { holdoutGroup, setHoldoutShare } from '../../../shared/holdout';
import { eventually, testRuntime } from '../../support/runtime';

const T0 = Date.UTC(2026, 10, 28, 23, 59, 0);

/** The real database, except that inserting into `table` fails while `failing.on` is true. */
function failingInserts(db: Db, table: string, failing: { on: boolean }): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'insertInto') {
        return (into: string) => {
          if (failing.on && into === table) throw new Error('injected insert failure');
          return target.insertInto(into as 'holdout_exposures');
        };
      }
      // Kysely keeps private fields: its methods run on the real instance.
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The real Redis, except that SET fails while `failing.on` is true. */
function failingSets(redis: Redis, failing: { on: boolean }): Redis {
  return new Proxy(redis, {
    get(target, prop) {
      if (prop === 'set' && failing.on) return () => Promise.reject(new Error('injected Redis failure'));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The real database, counting the inserts into `table`. */
function countingInserts(db: Db, table: string, count: { n: number }): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'insertInto') {
        return (into: string) => {
          if (into === table) count.n++;
          return target.insertInto(into as 'holdout_exposures');
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('HoldoutGate (real Redis, PGlite)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let shops = 0;
  let shop: string;
  const clock = { now: T0 };
  const gate = (db: Db = runtime.db, redis: Redis = runtime.redis) =>
    new HoldoutGate({ db, redis, logger: runtime.logger, queuePrefix: runtime.config.queuePrefix, customerIdKey: runtime.config.customerIdKey, cacheMs: 30_000, now: () => clock.now });
  const exposures = () => runtime.db.selectFrom('holdout_exposures').select(['day', 'grp', 'visitor_key']).where('shop', '=', shop).orderBy('day').orderBy('visitor_key').execute();
  const key = (id: string) => customerPseudonym(runtime.config.customerIdKey, shop, `visitor:${id}`);

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'pglite' });
  });
  afterAll(() => runtime.close());
  beforeEach(() => {
    clock.now = T0;
    shop = `gate-${++shops}.myshopify.com`;
  });

  it('records a visitor once a day even when several web processes see it at once', async () => {
    const inserts = { n: 0 };
    const counted = countingInserts(runtime.db, 'holdout_exposures', inserts);
    const processes = [gate(counted), gate(counted), gate(counted)];
    const ids = ['aaaaaaaa1', 'bbbbbbbb2', 'cccccccc3', 'dddddddd4'];
    const groups = await Promise.all(processes.flatMap((p) => ids.map((id) => p.assign(shop, id))));
    // Every process gives each visitor the documented group at the default 5 %.
    expect(groups).toEqual(processes.flatMap(() => ids.map((id) => holdoutGroup(shop, key(id), 500))));
    const rows = await eventually(async () => {
      const found = await exposures();
      return found.length >= ids.length ? found : undefined;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await exposures()).toEqual(rows);
    expect(rows.map((r) => r.visitor_key).sort()).toEqual(ids.map(key).sort());
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(['2026-11-28']));
    // The Redis gate lets one insert through per visitor and day, whichever process sees it first.
    expect(inserts.n).toBe(ids.length);
    // A minute later it is the next UTC day: one more row per visitor.
    clock.now = T0 + 60_000;
    await Promise.all(processes.flatMap((p) => ids.map((id) => p.assign(shop, id))));
    await eventually(async () => ((await exposures()).length === 2 * ids.length ? true : undefined));
  });

  it('answers even when the exposure cannot be written, and records it on a later request once the database is back', async () => {
    const failing = { on: true };
    const process = gate(failingInserts(runtime.db, 'holdout_exposures', failing));
    expect(await process.assign(shop, 'eeeeeeee5')).toBe(holdoutGroup(shop, key('eeeeeeee5'), 500));
    await new Promise((r) => setTimeout(r, 200));
    expect(await exposures()).toEqual([]);
    failing.on = false;
    await process.assign(shop, 'eeeeeeee5');
    const rows = await eventually(async () => {
      const found = await exposures();
      return found.length ? found : undefined;
    });
    expect(rows).toEqual([{ day: '2026-11-28', grp: holdoutGroup(shop, key('eeeeeeee5'), 500), visitor_key: key('eeeeeeee5') }]);
  });

  it('records a visitor on a later request when Redis refused the gate the first time', async () => {
    const failing = { on: true };
    const process = gate(runtime.db, failingSets(runtime.redis, failing));
    expect(await process.assign(shop, 'ffffffff6')).toBe(holdoutGroup(shop, key('ffffffff6'), 500));
    await new Promise((r) => setTimeout(r, 200));
    expect(await exposures()).toEqual([]);
    failing.on = false;
    await process.assign(shop, 'ffffffff6');
    await eventually(async () => ((await exposures()).length === 1 ? true : undefined));
  });

  it('keeps the share in memory: a change is seen after the cache time, not per request', async () => {
    await setHoldoutShare(runtime.db, shop, 5000);
    const process = gate();
    const ids = Array.from({ length: 60 }, (_, i) => `share${i}visitor`);
    const at = async (shareBp: number) => {
      const groups = await Promise.all(ids.map((id) => process.assign(shop, id)));
      expect(groups).toEqual(ids.map((id) => holdoutGroup(shop, key(id), shareBp)));
    };
    await at(5000);
    await setHoldoutShare(runtime.db, shop, 1000);
    await at(5000);
    clock.now += 31_000;
    // The stale share answers while the refresh runs; then the new one, seen on a visitor whose
    // group differs between the two shares (one held out at 50 % but not at 10 %).
    const moved = ids.find((id) => holdoutGroup(shop, key(id), 5000) !== holdoutGroup(shop, key(id), 1000))!;
    await process.assign(shop, moved);
    await eventually(async () => ((await process.assign(shop, moved)) === holdoutGroup(shop, key(moved), 1000) ? true : undefined));
    await at(1000);
  });
});
