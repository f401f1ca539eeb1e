import { Session } from '@shopify/shopify-api';
import type { TokenCipher } from '../crypto';
import type { ShopifySessionsTable } from '../db';

type SessionRow = Pick<
  ShopifySessionsTable,
  'id' | 'shop' | 'state' | 'is_online' | 'scope' | 'access_token_enc'
> & { expires?: Date | null; online_access_info?: unknown };

/** The library's Session as we store it: the access token sealed, never in clear. */
export function sessionToRow(session: Session, cipher: TokenCipher) {
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    is_online: session.isOnline,
    scope: session.scope ?? null,
    expires: session.expires ?? null,
    access_token_enc: session.accessToken ? cipher.seal(session.accessToken) : null,
    online_access_info: JSON.stringify(session.onlineAccessInfo ?? null),
  };
}

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
