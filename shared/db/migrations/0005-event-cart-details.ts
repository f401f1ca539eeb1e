import { sql, type Kysely } from 'kysely';

/** An add to cart keeps what was added (the variant and how many) with its consented row. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table storefront_events add column variant_id text;
    alter table storefront_events add column quantity integer;
  `.execute(db);
}
