import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db';
import type { Redis } from '../redis';
import { servingKeys } from '../serving';
import { METRIC_PREFIX } from './registry';

export interface ServingModelAge {
  shop: string;
  version: string;
  /** Seconds since the serving version was published. */
  ageSeconds: number;
}

/**
 * Every active shop's serving version (the pointer the storefront reads, in Redis) and how long
 * ago it was published (model_versions.published_at). Shops that serve nothing yet are left out.
 */
export async function servingModelAges({ db, redis, prefix, now = Date.now }: { db: Db; redis: Redis; prefix: string; now?: () => number }): Promise<ServingModelAge[]> {
  const shops = await db.selectFrom('shops').select('domain').where('active', '=', true).execute();
  if (!shops.length) return [];
  const pointers = await redis.mget(...shops.map((s) => servingKeys(prefix, s.domain).pointer));
  const serving = shops.flatMap((s, i) => (pointers[i] && /^\d+$/.test(pointers[i]) ? [{ shop: s.domain, version: pointers[i] }] : []));
  if (!serving.length) return [];
  // model_versions belongs to the worker's schema (worker/train): read it with plain SQL here.
  const rows = await sql<{ id: string; published_at: Date | null }>`
    select id::text as id, published_at from model_versions where id in (${sql.join(serving.map((s) => Number(s.version)))})
  `.execute(db);
  const published = new Map(rows.rows.map((r) => [r.id, r.published_at]));
  return serving.flatMap(({ shop, version }) => {
    const at = published.get(version);
    return at ? [{ shop, version, ageSeconds: Math.max(0, (now() - new Date(at).getTime()) / 1000) }] : [];
  });
}

/** `shelfwise_model_age_seconds{shop}`: seconds since each shop's serving version was published. */
export function registerModelAge(registry: Registry, deps: { db: Db; redis: Redis; prefix: string; now?: () => number }): Gauge {
  return new Gauge({
    name: `${METRIC_PREFIX}model_age_seconds`,
    help: "Seconds since each shop's serving model version was published",
    labelNames: ['shop'],
    registers: [registry],
    async collect() {
      this.reset();
      const ages = await servingModelAges(deps).catch(() => []);
      for (const age of ages) this.set({ shop: age.shop }, age.ageSeconds);
    },
  });
}
