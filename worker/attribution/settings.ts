import { windowsFromSettings, type AttributionWindows } from '../../shared/attribution';
import type { Db } from '../../shared/db';

export { windowsFromSettings };

type Reader = Pick<Db, 'selectFrom'>;

/** The shop's attribution windows (attribution_settings), the defaults when it has none. */
export async function loadAttributionWindows(db: Reader, shop: string): Promise<AttributionWindows> {
  return windowsFromSettings(await db.selectFrom('attribution_settings').selectAll().where('shop', '=', shop).executeTakeFirst());
}
