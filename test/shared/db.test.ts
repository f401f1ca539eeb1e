import { sql } from 'kysely';
import { BACKENDS, type TestDatabase } from '../support/databases';

describe.each(BACKENDS)('storage contract on %s', (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t.close());

  it('applies every migration and records them', async () => {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.db);
    expect(rows.rows.map((r) => r.name)).toContain('0001-core');
  });

  it('round-trips exact decimals as strings and jsonb as objects', async () => {
    await t.db
      .insertInto('products')
      .values({
        shop: 'a.myshopify.com', id: '1', title: 'Mug', tags: JSON.stringify(['x', 'y']), status: 'active',
        available: true, min_price: '12.50', body_text: '', search_text: 'mug', updated_at: new Date('2024-01-01T00:00:00Z'), version_hash: 'h',
      })
      .execute();
    const row = await t.db.selectFrom('products').selectAll().where('id', '=', '1').executeTakeFirstOrThrow();
    expect(row.min_price).toBe('12.500000');
    expect(row.tags).toEqual(['x', 'y']);
    expect(row.updated_at).toBeInstanceOf(Date);
    expect(row.updated_at.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('reads bigint minor units back as numbers', async () => {
    await t.db
      .insertInto('orders')
      .values({
        shop: 'a.myshopify.com', id: '9', created_at: new Date(), updated_at: new Date(), currency: 'GBP',
        total_price_minor: 2 ** 40, total_discounts_minor: 0, note_attributes: '[]', test: false, version_hash: 'h',
      })
      .execute();
    const row = await t.db.selectFrom('orders').select('total_price_minor').executeTakeFirstOrThrow();
    expect(row.total_price_minor).toBe(2 ** 40);
  });

  it('rolls a failed transaction back and keeps serving', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto('app_meta').values({ key: 'k', value: 'v' }).execute();
        await trx.insertInto('app_meta').values({ key: 'k', value: 'dup' }).execute();
      }),
    ).rejects.toThrow();
    const rows = await t.db.selectFrom('app_meta').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('keeps concurrent transactions apart', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction().execute(async (trx) => {
          await trx.insertInto('app_meta').values({ key: `c${i}`, value: 'a' }).execute();
          if (i % 2) throw new Error('abort');
        }).catch(() => undefined),
      ),
    );
    const keys = (await t.db.selectFrom('app_meta').select('key').execute()).map((r) => r.key).sort();
    expect(keys).toEqual(Array.from({ length: 10 }, (_, i) => `c${i * 2}`).sort());
  });
});
