import { Session } from '@shopify/shopify-api';
import type { TokenCipher } from '../crypto';
import type { ShopifySessionsTable } from '../db';

type SessionRow = Pick<
  ShopifySessionsTable,
  'id' | 'shop' | 'state' | 'is_online' | 'scope' | 'access_token_enc'
> & { expires?: Date | null; online_access_info?: unknown };

/** A stored session row back to the library's Session, the token opened with our key. */
export function sessionFromRow(row: SessionRow, cipher: TokenCipher): Session {
  return new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.is_online,
    scope: row.scope ?? undefined,
    expires: row.expires ?? undefined,
    accessToken: row.access_token_enc ? cipher.open(row.access_token_enc) : undefined,
    onlineAccessInfo: (row.online_access_info ?? undefined) as Session['onlineAccessInfo'],
  });
}
