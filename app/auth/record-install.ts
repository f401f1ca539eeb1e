import type { Db } from '../../shared/db';

/**
 * Marks the shop installed and active. `installed_at` moves only when the shop was not active
 * (a first install or a reinstall), so re-running OAuth on an installed shop keeps its
 * install identity — and with it the id of its install sync job. A currency the shop query
 * could not give keeps the one we had.
 */
export async function recordInstall(
  db: Db,
  install: { shop: string; scope: string | null; currency: string | null; at: Date },
): Promise<{ installedAt: Date; reinstalled: boolean }> {
  const previous = await db.selectFrom('shops').select(['active', 'installed_at']).where('domain', '=', install.shop).executeTakeFirst();
  const row = await db
    .insertInto('shops')
    .values({ domain: install.shop, active: true, scope: install.scope, currency: install.currency, installed_at: install.at })
    .onConflict((oc) =>
      oc.column('domain').doUpdateSet((eb) => ({
        active: true,
        scope: eb.ref('excluded.scope'),
        currency: eb.fn.coalesce('excluded.currency', 'shops.currency'),
        installed_at: eb
          .case()
          .when(eb.and([eb('shops.active', '=', true), eb('shops.installed_at', 'is not', null)]))
          .then(eb.ref('shops.installed_at'))
          .else(eb.ref('excluded.installed_at'))
          .end(),
        updated_at: install.at,
      })),
    )
    .returning('installed_at')
    .executeTakeFirstOrThrow();
  return { installedAt: row.installed_at ?? install.at, reinstalled: previous !== undefined && !previous.active };
}
