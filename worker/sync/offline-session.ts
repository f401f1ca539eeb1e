import type { Session } from '@shopify/shopify-api';
import type { TokenCipher } from '../../shared/crypto';
import type { Db } from '../../shared/db';
import { sessionFromRow } from '../../shared/shopify';

/**
 * The shop's offline session, read from the table the web process writes (shopify_sessions,
 * id `offline_{shop}`), its token opened with the same key. Undefined when there is none.
 */
export async function loadOfflineSession({ db, cipher, shop }: { db: Db; cipher: TokenCipher; shop: string }): Promise<Session | undefined> {
  const row = await db.selectFrom('shopify_sessions').selectAll().where('id', '=', `offline_${shop}`).executeTakeFirst();
  if (!row?.access_token_enc) return undefined;
  return sessionFromRow(row, cipher);
}
