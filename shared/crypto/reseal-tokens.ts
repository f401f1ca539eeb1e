import type { Db } from '../db';
import { CHECK_TEXT, KEY_CHECK } from './token-key-check';
import type { TokenCipher } from './token-cipher';

/** What a re-seal did. */
export interface ResealOutcome {
  /** Sessions whose token was sealed with a previous key and is now sealed with the current one. */
  resealed: number;
  /** Sessions already on the current key. */
  current: number;
  /** Sessions changed by someone else between the read and the write (they sealed with the current key). */
  raced: number;
  /** Whether the start-up key check was moved to the current key. */
  keyCheckResealed: boolean;
}

const PAGE = 500;

/**
 * Moves every stored access token (and the start-up key check) to the cipher's current key, while
 * web and worker processes keep running with the old key as a previous one. Each row is rewritten
 * only if it still holds the value that was read (compare-and-set), so a session stored meanwhile
 * by an install, already under the current key, is never overwritten with an older token. A token
 * that no configured key opens stops the run with EncryptionKeyMismatchError before anything is
 * written for it; rows already moved stay moved, and a second run continues where it stopped.
 */
export async function resealTokens({ db, cipher }: { db: Db; cipher: TokenCipher }): Promise<ResealOutcome> {
  const outcome: ResealOutcome = { resealed: 0, current: 0, raced: 0, keyCheckResealed: false };
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('shopify_sessions')
      .select(['id', 'access_token_enc'])
      .where('id', '>', after)
      .where('access_token_enc', 'is not', null)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const sealed = row.access_token_enc!;
      if (cipher.isCurrent(sealed)) {
        outcome.current++;
        continue;
      }
      const resealed = cipher.seal(cipher.open(sealed));
      const result = await db
        .updateTable('shopify_sessions')
        .set({ access_token_enc: resealed })
        .where('id', '=', row.id)
        .where('access_token_enc', '=', sealed)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) outcome.resealed++;
      else outcome.raced++;
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  const check = await db.selectFrom('app_meta').select('value').where('key', '=', KEY_CHECK).executeTakeFirst();
  if (check && !cipher.isCurrent(check.value) && cipher.open(check.value) === CHECK_TEXT) {
    const result = await db.updateTable('app_meta').set({ value: cipher.seal(CHECK_TEXT) }).where('key', '=', KEY_CHECK).where('value', '=', check.value).executeTakeFirst();
    outcome.keyCheckResealed = Number(result.numUpdatedRows) === 1;
  }
  return outcome;
}
