import type { Session } from '@shopify/shopify-api';
import type { SessionStorage } from '@shopify/shopify-app-session-storage';
import type { TokenCipher } from '../../shared/crypto';
import type { Db } from '../../shared/db';
import { sessionFromRow, sessionToRow } from '../../shared/shopify';

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
    const row = sessionToRow(session, this.cipher);
    await this.db
      .insertInto('shopify_sessions')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
      .execute();
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('shopify_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? sessionFromRow(row, this.cipher) : undefined;
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
    return rows.map((row) => sessionFromRow(row, this.cipher));
  }
}
