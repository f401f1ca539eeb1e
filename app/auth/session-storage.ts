import { Session } from '@shopify/shopify-api';
import type { SessionStorage } from '@shopify/shopify-app-session-storage';
import type { TokenCipher } from '../../shared/crypto';
import type { Db } from '../../shared/db';

/**
 * Shopify sessions in our database, the access token sealed with AES-256-GCM. A row sealed
 * with another key fails to load with EncryptionKeyMismatchError rather than yielding garbage.
 */
export class DbSessionStorage implements SessionStorage {
  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    const row = {
      id: session.id,
      shop: session.shop,
      state: session.state,
      is_online: session.isOnline,
      scope: session.scope ?? null,
      expires: session.expires ?? null,
      access_token_enc: session.accessToken ? this.cipher.seal(session.accessToken) : null,
      online_access_info: JSON.stringify(session.onlineAccessInfo ?? null),
    };
    await this.db
      .insertInto('shopify_sessions')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
      .execute();
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('shopify_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toSession(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    await this.db.deleteFrom('shopify_sessions').where('id', '=', id).execute();
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    if (ids.length) await this.db.deleteFrom('shopify_sessions').where('id', 'in', ids).execute();
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const rows = await this.db.selectFrom('shopify_sessions').selectAll().where('shop', '=', shop).execute();
    return rows.map((row) => this.toSession(row));
  }

  private toSession(row: {
    id: string;
    shop: string;
    state: string;
    is_online: boolean;
    scope: string | null;
    expires: Date | null;
    access_token_enc: string | null;
    online_access_info: unknown;
  }): Session {
    return new Session({
      id: row.id,
      shop: row.shop,
      state: row.state,
      isOnline: row.is_online,
      scope: row.scope ?? undefined,
      expires: row.expires ?? undefined,
      accessToken: row.access_token_enc ? this.cipher.open(row.access_token_enc) : undefined,
      onlineAccessInfo: (row.online_access_info ?? undefined) as Session['onlineAccessInfo'],
    });
  }
}
