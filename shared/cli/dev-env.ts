import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

interface DevSecrets {
  SHOPIFY_API_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
  CUSTOMER_ID_KEY: string;
  /**
   * Redis keys (queues, webhook dedupe) belong to this data directory: a fresh directory must
   * not find an older store's deliveries already marked as seen in the same Redis.
   */
  QUEUE_PREFIX: string;
}

/**
 * Settings for running on one machine with nothing configured: development secrets are made
 * once and kept in the data directory (so a second run opens the same store), everything else
 * takes its embedded default. Whatever the environment sets wins.
 */
export function developmentEnv(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const dataDir = path.resolve(source.SHELFWISE_DATA_DIR || './.shelfwise');
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'dev-secrets.json');
  const stored = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) as Partial<DevSecrets>;
  const secrets: DevSecrets = {
    SHOPIFY_API_SECRET: stored.SHOPIFY_API_SECRET ?? randomBytes(24).toString('base64url'),
    TOKEN_ENCRYPTION_KEY: stored.TOKEN_ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
    CUSTOMER_ID_KEY: stored.CUSTOMER_ID_KEY ?? randomBytes(24).toString('base64url'),
    QUEUE_PREFIX: stored.QUEUE_PREFIX ?? `shelfwise-dev-${randomBytes(4).toString('hex')}`,
  };
  if (Object.keys(stored).length !== Object.keys(secrets).length) {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return {
    SHOPIFY_API_KEY: 'shelfwise-dev',
    SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...secrets,
    SHELFWISE_DATA_DIR: dataDir,
    ...Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')),
  };
}
