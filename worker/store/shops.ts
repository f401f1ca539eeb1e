import { sql } from 'kysely';
import type { Db } from '../../shared/db';

/**
 * app/uninstalled: the shop goes inactive. A late delivery from before a reinstall must not
 * undo the reinstall, so the flag only flips when the uninstall is newer than the install.
 */
export async function markShopUninstalled(db: Db, s: { shop: string; at: Date }): Promise<boolean> {
  const result = await db
    .insertInto('shops')
    .values({ domain: s.shop, active: false, uninstalled_at: s.at, scope: null, installed_at: null })
    .onConflict((oc) =>
      oc
        .column('domain')
        .doUpdateSet({
          active: false,
          // Two uninstalls in either order keep the later time.
          uninstalled_at: sql`greatest(shops.uninstalled_at, excluded.uninstalled_at)`,
          updated_at: new Date(),
        })
        .where((eb) => eb.or([eb('shops.installed_at', 'is', null), eb('shops.installed_at', '<=', s.at)])),
    )
    .returning('domain')
    .executeTakeFirst();
  return result !== undefined;
}
