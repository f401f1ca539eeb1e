import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { resealTokens, TokenCipher } from '../../crypto';
import { migrateToLatest, openDatabase } from '../../db';
import { databaseTarget } from '../../runtime';

/**
 * `shelfwise rotate-token-key`: re-seals every stored access token with TOKEN_ENCRYPTION_KEY,
 * opening the old ones with TOKEN_ENCRYPTION_KEYS_PREVIOUS (docs/privacy.md). Safe while web and
 * worker processes run, and safe to run again.
 */
export function registerRotateTokenKey(program: Command): void {
  program
    .command('rotate-token-key')
    .description('re-seal stored access tokens with TOKEN_ENCRYPTION_KEY (old keys in TOKEN_ENCRYPTION_KEYS_PREVIOUS)')
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const cipher = TokenCipher.fromConfig(config);
      const db = await openDatabase(databaseTarget(config));
      try {
        await migrateToLatest(db);
        const outcome = await resealTokens({ db, cipher });
        if (options.json) console.log(JSON.stringify({ keyId: cipher.keyId, ...outcome }));
        else {
          console.log(
            `key ${cipher.keyId}: ${outcome.resealed} token(s) re-sealed, ${outcome.current} already current` +
              (outcome.raced ? `, ${outcome.raced} rewritten meanwhile under the current key` : '') +
              (outcome.keyCheckResealed ? '; start-up key check moved' : ''),
          );
          console.log('Every stored token now opens with TOKEN_ENCRYPTION_KEY alone: TOKEN_ENCRYPTION_KEYS_PREVIOUS can be emptied.');
        }
      } finally {
        await db.destroy();
      }
    });
}
