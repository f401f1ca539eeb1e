import { sql, type Kysely } from 'kysely';

/** Shops, sessions, catalog and orders: the store every later capability reads. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table shops (
      domain text primary key,
      active boolean not null default false,
      scope text,
      currency text,
      installed_at timestamptz,
      uninstalled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create table shopify_sessions (
      id text primary key,
      shop text not null,
      state text not null,
      is_online boolean not null,
      scope text,
      expires timestamptz,
      access_token_enc text,
      online_access_info jsonb,
      updated_at timestamptz not null default now()
    );
    create index shopify_sessions_shop on shopify_sessions (shop);
    create table app_meta (key text primary key, value text not null);

    create table products (
      shop text not null,
      id text not null,
      title text not null,
      handle text,
      vendor text,
      product_type text,
      tags jsonb not null default '[]',
      status text not null,
      published_at timestamptz,
      body_text text not null default '',
      search_text text not null default '',
      image_url text,
      available boolean not null,
      min_price numeric(20, 6),
      updated_at timestamptz not null,
      version_hash text not null,
      deleted_at timestamptz,
      primary key (shop, id)
    );
    create index products_shop_vendor on products (shop, vendor);
    create table product_variants (
      shop text not null,
      id text not null,
      product_id text not null,
      title text,
      sku text,
      price numeric(20, 6) not null,
      compare_at_price numeric(20, 6),
      inventory_quantity integer,
      inventory_policy text,
      inventory_management text,
      available boolean not null,
      position integer not null,
      primary key (shop, id)
    );
    create index product_variants_product on product_variants (shop, product_id);

    create table orders (
      shop text not null,
      id text not null,
      name text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      processed_at timestamptz,
      currency text not null,
      presentment_currency text,
      total_price_minor bigint not null,
      current_total_price_minor bigint,
      subtotal_price_minor bigint,
      total_discounts_minor bigint not null default 0,
      financial_status text,
      cancelled_at timestamptz,
      customer_key text,
      cart_token text,
      checkout_token text,
      landing_site text,
      note_attributes jsonb not null default '[]',
      test boolean not null default false,
      version_hash text not null,
      primary key (shop, id)
    );
    create index orders_shop_created on orders (shop, created_at);
    create index orders_shop_customer on orders (shop, customer_key);
    create table order_line_items (
      shop text not null,
      id text not null,
      order_id text not null,
      product_id text,
      variant_id text,
      title text,
      quantity integer not null,
      price_minor bigint not null,
      total_discount_minor bigint not null default 0,
      properties jsonb not null default '[]',
      position integer not null,
      primary key (shop, id)
    );
    create index order_line_items_order on order_line_items (shop, order_id);
    create index order_line_items_product on order_line_items (shop, product_id);
    create table refunds (
      shop text not null,
      id text not null,
      order_id text not null,
      created_at timestamptz not null,
      primary key (shop, id)
    );
    create index refunds_order on refunds (shop, order_id);
    create table refund_line_items (
      shop text not null,
      refund_id text not null,
      line_item_id text not null,
      order_id text not null,
      quantity integer not null,
      subtotal_minor bigint not null,
      primary key (shop, refund_id, line_item_id)
    );
    create index refund_line_items_order on refund_line_items (shop, order_id);
  `.execute(db);
}
