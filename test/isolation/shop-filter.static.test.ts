import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { pgliteDatabase } from '../support/databases';

/**
 * A static companion to the two-shop suite: every Kysely statement in the code the processes run
 * (shared/, app/, worker/) that reads, updates or deletes a table with a `shop` column (as the migrations create them) must name
 * `shop` in its chain, unless it is listed below with the reason it is safe. The two-shop suite
 * checks the statements that ran; this one also covers code paths that suite never takes. It
 * reads source text, so it is a tripwire for review, not a proof: a new unfiltered statement
 * fails here until someone adds a filter or writes down why it needs none.
 */
const ROOT = path.join(__dirname, '..', '..');
const SOURCES = ['shared', 'app', 'worker'];

/** `file kind table` → why the statement needs no shop filter. Counts matter: each entry allows that many. */
const REVIEWED: Record<string, { count: number; why: string }> = {
  'shared/metrics/model-age.ts selectFrom shops': { count: 1, why: 'lists every active shop for the model-age metric (operator-facing, app-wide)' },
  'shared/crypto/reseal-tokens.ts selectFrom shopify_sessions': { count: 1, why: 'key rotation re-seals every stored token (app-wide maintenance)' },
  'shared/crypto/reseal-tokens.ts updateTable shopify_sessions': { count: 1, why: 'the row read just before, by its id (which Shopify\'s library derives from the shop)' },
  'app/auth/session-storage.ts selectFrom shopify_sessions': { count: 1, why: "Shopify's SessionStorage contract: sessions by id (offline_<shop>), ids from the library" },
  'app/auth/session-storage.ts deleteFrom shopify_sessions': { count: 2, why: "Shopify's SessionStorage contract: delete by id(s) from the library" },
  'shared/sponsored/charge.ts updateTable sponsored_campaigns': { count: 2, why: 'by the campaign id read with `where shop` and locked FOR UPDATE in the same transaction' },
  'shared/sponsored/charge.ts selectFrom sponsored_daily_spend': { count: 1, why: 'by the campaign id read with `where shop` in the same transaction (campaign ids are global)' },
  'worker/train/model-versions.ts selectFrom model_versions': { count: 1, why: "a version by global id: the run's own insert, or the shop's serving pointer, whose row run-training checks is the shop's" },
  'worker/train/model-versions.ts updateTable model_versions': { count: 1, why: 'status of a version by global id, one the same run recorded or checked is the shop\'s' },
  'worker/privacy/scrub-artifacts.ts updateTable model_versions': { count: 1, why: 'by ids the same function selected with `where shop` just before' },
};

/** Tables with a `shop` column, as the migrations create them (a fresh PGlite). */
async function shopTables(): Promise<Set<string>> {
  const database = await pgliteDatabase();
  try {
    const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.columns where column_name = 'shop' and table_schema = current_schema()`.execute(database.db);
    return new Set(rows.map((r) => r.table_name));
  } finally {
    await database.close();
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Statements reading, updating or deleting a shop table with no `shop` anywhere in their chain. */
function unfilteredStatements(tables: Set<string>): string[] {
  const found: string[] = [];
  const start = /\.(selectFrom|updateTable|deleteFrom)\(\s*['"]([a-z_]+)(?:\s+as\s+\w+)?['"]/g;
  for (const file of SOURCES.flatMap(sourceFiles)) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of text.matchAll(start)) {
      const [, kind, table] = match;
      if (!tables.has(table!)) continue;
      // The chain: up to the call that runs it (or the statement's end), at most 1,500 characters.
      const rest = text.slice(match.index! + match[0].length, match.index! + match[0].length + 1500);
      const end = /\.(execute|executeTakeFirst|executeTakeFirstOrThrow|stream|compile)\(|;\n/.exec(rest);
      const chain = rest.slice(0, end ? end.index : rest.length);
      if (/\bshop\b/.test(chain)) continue;
      found.push(`${file.split(path.sep).join('/')} ${kind} ${table}`);
    }
  }
  return found;
}

describe('every statement on a shop table filters by shop, or is reviewed (static)', () => {
  let tables: Set<string>;
  beforeAll(async () => {
    tables = await shopTables();
  });

  it('reads the shop tables from the schema', () => {
    for (const table of ['orders', 'products', 'storefront_events', 'sponsored_campaigns', 'order_attributions', 'model_versions']) expect(tables.has(table)).toBe(true);
    expect(tables.has('app_meta')).toBe(false);
  });

  it('finds no unreviewed statement without a shop filter', () => {
    const counts = new Map<string, number>();
    for (const statement of unfilteredStatements(tables)) counts.set(statement, (counts.get(statement) ?? 0) + 1);
    const unreviewed = [...counts].filter(([statement, count]) => count > (REVIEWED[statement]?.count ?? 0));
    expect(unreviewed).toEqual([]);
  });

  it('the scanner sees a statement without a filter (so an empty list above means something)', () => {
    // The reviewed entries are found where they are said to be.
    const found = new Set(unfilteredStatements(tables));
    expect(found.has('shared/sponsored/charge.ts selectFrom sponsored_daily_spend')).toBe(true);
  });
});
