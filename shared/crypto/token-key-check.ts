import type { Db } from '../db';
import { EncryptionKeyMismatchError } from '../errors';
import type { TokenCipher } from './token-cipher';

/** app_meta key of the sealed check text (resealTokens moves it to the current key too). */
export const KEY_CHECK = 'token_key_check';
export const CHECK_TEXT = 'shelfwise token key check v1';

/**
 * Seals a known text with the configured key at first start and opens it at every later
 * start. A different TOKEN_ENCRYPTION_KEY then stops the process at once, with a message that
 * says what to do, instead of failing later on each shop's stored token. During a rotation the
 * check may still be sealed with a key of TOKEN_ENCRYPTION_KEYS_PREVIOUS: accepted, and left as it
 * is so that a process still on the old key restarts too; `shelfwise rotate-token-key` re-seals it.
 */
export async function verifyTokenKey({ db, cipher }: { db: Db; cipher: TokenCipher }): Promise<'created' | 'verified'> {
  const inserted = await db
    .insertInto('app_meta')
    .values({ key: KEY_CHECK, value: cipher.seal(CHECK_TEXT) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return 'created';
  const { value } = await db.selectFrom('app_meta').select('value').where('key', '=', KEY_CHECK).executeTakeFirstOrThrow();
  let opened: string | undefined;
  try {
    opened = cipher.open(value);
  } catch (cause) {
    const storedKeyId = value.split(':')[1] ?? 'unknown';
    throw new EncryptionKeyMismatchError(
      `TOKEN_ENCRYPTION_KEY does not match the key this database's access tokens were sealed with ` +
        `(stored key id ${storedKeyId}, configured key id ${cipher.keyId}). Start with the original key; ` +
        `to change keys, put the old one in TOKEN_ENCRYPTION_KEYS_PREVIOUS and run shelfwise rotate-token-key (docs/privacy.md).`,
      { cause },
    );
  }
  if (opened !== CHECK_TEXT) throw new EncryptionKeyMismatchError('the token key check value in app_meta is corrupt');
  return 'verified';
}
