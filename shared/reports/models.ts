import { sql } from 'kysely';
import type { Db } from '../db';
import { attributedFigures } from './attributed-figures';
import { byKey, storefrontEventFigures } from './event-counts';
import { reportHead } from './head';
import type { ReportRange } from './range';
import { ratio } from './ratios';
import type { ModelRow, ModelsReport } from './types';

interface VersionRow {
  id: string;
  created_at: Date;
  status: string;
  model: string;
  metrics: unknown;
}

/**
 * Per model version (docs/reports.md): every version that served events or earned credits in the
 * range, and the one serving now, with what model_versions recorded at training (status, model,
 * offline metrics). Lists served without a model (catalog fallback, version '') are not a row.
 */
export async function modelsReport(db: Db, shop: string, range: ReportRange): Promise<ModelsReport> {
  const [head, events, attributed, serving] = await Promise.all([
    reportHead(db, shop, range),
    storefrontEventFigures(db, shop, range, 'model'),
    attributedFigures(db, shop, range, 'model'),
    sql<{ id: string | null }>`select serving_version_id::text as id from training_status where shop = ${shop}`.execute(db),
  ]);
  const servingId = serving.rows[0]?.id ?? null;
  const ev = byKey(events);
  const at = byKey(attributed);
  const ids = [...new Set([...ev.keys(), ...at.keys(), ...(servingId ? [servingId] : [])])].filter((id) => id !== '');
  const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
  const versions = numeric.length
    ? (
        await sql<VersionRow>`
          select id::text as id, created_at, status, model, metrics
          from model_versions
          where shop = ${shop} and id in (${sql.join(numeric.map((id) => sql`${id}::bigint`))})
        `.execute(db)
      ).rows
    : [];
  const byId = new Map(versions.map((v) => [v.id, v]));
  const rows: ModelRow[] = ids
    .sort((a, b) => (a.length !== b.length ? b.length - a.length : a < b ? 1 : a > b ? -1 : 0))
    .map((id) => {
      const v = byId.get(id);
      const e = ev.get(id);
      const a = at.get(id);
      const impressions = e?.impressions ?? 0;
      const clicks = e?.clicks ?? 0;
      return {
        modelVersion: id,
        createdAt: v ? new Date(v.created_at).toISOString() : null,
        status: v?.status ?? null,
        serving: id === servingId,
        model: v?.model ?? null,
        metrics: v ? (typeof v.metrics === 'string' ? (JSON.parse(v.metrics) as unknown) : v.metrics) : null,
        impressions,
        clicks,
        ctr: ratio(clicks, impressions),
        attributedOrders: a?.orders ?? 0,
        attributedRevenueMinor: a?.netMinor ?? 0,
      };
    });
  return { ...head, rows };
}
