import { sql } from 'kysely';
import pg from 'pg';
import { postgresDatabase, POSTGRES_URL, type TestDatabase } from '../../support/databases';

/**
 * The revenue kept on holdout_visitors (migrations 0016, 0018) with two writers of one visitor in
 * flight at once on PostgreSQL: the second waits for the first and counts its order too.
 */
describe('holdout visitor revenue under concurrent writers (PostgreSQL)', () => {
  let t: TestDatabase;
  let clients: pg.Client[];
  const SHOP = 'concurrent.myshopify.com';

  beforeAll(async () => {
    t = await postgresDatabase();
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db);
    clients = [];
    for (let i = 0; i < 3; i++) {
      const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${rows[0]!.schema}` });
      await client.connect();
      clients.push(client);
    }
  });
  afterAll(async () => {
    for (const client of clients) await client.end();
    await t.close();
  });

  const order = (client: pg.Client, id: string, visitor: string, day: string, net: number) =>
    client.query(
      `insert into order_revenue (shop, order_id, day, currency, net_minor, attributed_minor, recommendation_minor, sponsored_minor, has_recommendation, visitor_key, order_created_at, computed_at)
       values ($1, $2, $3, 'EUR', $4, 0, 0, 0, false, $5, $6, now())`,
      [SHOP, id, day, net, visitor, `${day}T12:00:00Z`],
    );
  const exposure = (client: pg.Client, visitor: string, day: string) =>
    client.query(`insert into holdout_exposures (shop, day, visitor_key, grp, first_seen_at) values ($1, $2, $3, 'treatment', now())`, [SHOP, day, visitor]);

  /** Until a backend of ours waits for a lock (the second writer is blocked behind the first). */
  async function untilWaiting(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await clients[2]!.query(`select count(*)::int as n from pg_locks where not granted and pid in ($1, $2)`, [
        (clients[0] as unknown as { processID: number }).processID,
        (clients[1] as unknown as { processID: number }).processID,
      ]);
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the second writer never waited for the first');
  }

  const revenue = async (visitor: string) =>
    (await t.db.selectFrom('holdout_visitors').select(['revenue_minor', 'revenue_last_day']).where('shop', '=', SHOP).where('visitor_key', '=', visitor).executeTakeFirstOrThrow());

  it('two transactions writing orders of one visitor: both orders count', async () => {
    await t.db.insertInto('holdout_exposures').values({ shop: SHOP, day: '2026-11-01', visitor_key: 'v1', grp: 'treatment', first_seen_at: new Date() }).execute();
    const [a, b] = clients as [pg.Client, pg.Client];
    await a.query('begin');
    await b.query('begin');
    await order(a, '1', 'v1', '2026-11-02', 100);
    const second = order(b, '2', 'v1', '2026-11-03', 50);
    await untilWaiting();
    await a.query('commit');
    await second;
    await b.query('commit');
    expect(await revenue('v1')).toEqual({ revenue_minor: 150, revenue_last_day: '2026-11-03' });
  });

  it('an order in flight while the exposure that creates the visitor row commits: the order counts', async () => {
    const [a, b] = clients as [pg.Client, pg.Client];
    await a.query('begin');
    await b.query('begin');
    await order(a, '3', 'v2', '2026-11-05', 70);
    const first = exposure(b, 'v2', '2026-11-04');
    await untilWaiting();
    await a.query('commit');
    await first;
    await b.query('commit');
    expect(await revenue('v2')).toEqual({ revenue_minor: 70, revenue_last_day: '2026-11-05' });
  });
});
