import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../shared/config';
import { POSTGRES_URL } from './databases';

export const TEST_SECRET = 'test-app-secret';

/** A valid config for tests; every test gets its own queue prefix unless it passes one. */
export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SHOPIFY_API_KEY: 'test-api-key',
    SHOPIFY_API_SECRET: TEST_SECRET,
    SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    CUSTOMER_ID_KEY: 'test-customer-id-key-0123456789',
    QUEUE_PREFIX: `t${randomUUID().slice(0, 8)}`,
    PORT: '0',
    ...overrides,
  });
}

export { POSTGRES_URL };
