import fs from 'node:fs';
import path from 'node:path';
import { envSchema, loadConfig } from '../../../shared/config';
import { ConfigError } from '../../../shared/errors';

describe('config', () => {
  it('reports every missing or malformed setting at once, by name', () => {
    let error: unknown;
    try {
      loadConfig({ SHOPIFY_APP_URL: 'not a url', PORT: 'eighty', TOKEN_ENCRYPTION_KEY: 'abcd', REDIS_URL: 'http://x', RECONCILE_CRON: '99 x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SHOPIFY_API_KEY is required', 'SHOPIFY_API_SECRET is required', 'CUSTOMER_ID_KEY is required', 'SHOPIFY_APP_URL', 'PORT', 'TOKEN_ENCRYPTION_KEY must be 32 bytes', 'REDIS_URL', 'RECONCILE_CRON must be a cron pattern']) {
      expect(problems).toContain(name);
    }
  });

  it('uses embedded PGlite without DATABASE_URL and PostgreSQL with it', () => {
    const base = {
      SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'https://app.example',
      TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), CUSTOMER_ID_KEY: 'c'.repeat(16),
    };
    const embedded = loadConfig(base);
    expect(embedded.database).toEqual({ kind: 'pglite', dataDir: path.resolve('.shelfwise', 'pglite') });
    expect(embedded.redisUrl).toBe('redis://127.0.0.1:6379');
    const server = loadConfig({ ...base, DATABASE_URL: 'postgres://u@db:5432/x' });
    expect(server.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/x', poolSize: 10 });
    expect(server.tokenEncryptionKey).toHaveLength(32);
  });

  it('refuses the development Admin API origin in production', () => {
    const env = {
      SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'https://app.example',
      TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), CUSTOMER_ID_KEY: 'c'.repeat(16), SHOPIFY_ADMIN_API_ORIGIN: 'http://127.0.0.1:4000',
    };
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).shopify.adminApiOrigin).toBe('http://127.0.0.1:4000');
    expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(/SHOPIFY_ADMIN_API_ORIGIN is for development and tests only/);
  });

  it('refuses an event age the retention would outlive the receipts of', () => {
    const env = { SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'https://app.example', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), CUSTOMER_ID_KEY: 'c'.repeat(16) };
    expect(loadConfig({ ...env, EVENT_RETENTION_DAYS: '1', EVENT_MAX_AGE_SECONDS: '86400' }).storefront.eventMaxAgeSeconds).toBe(86_400);
    expect(() => loadConfig({ ...env, EVENT_RETENTION_DAYS: '1', EVENT_MAX_AGE_SECONDS: '86401' })).toThrow(/EVENT_MAX_AGE_SECONDS must not exceed EVENT_RETENTION_DAYS/);
  });

  it('documents every setting in .env.example', () => {
    const example = fs.readFileSync(path.join(__dirname, '../../../.env.example'), 'utf8');
    for (const name of Object.keys(envSchema.shape)) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
