import { createHmac, randomUUID } from 'node:crypto';
import { startWebServer } from '../../../app';
import type { Runtime } from '../../../shared/runtime';
import { TEST_SECRET } from '../../support/config';

export const TEST_API_KEY = 'test-api-key';

/**
 * An App Bridge session token as Shopify signs it (HS256 with the app secret), with real claims;
 * `claims` overrides any of them (undefined removes one).
 */
export function sessionToken(shop: string, { secret = TEST_SECRET, claims = {} }: { secret?: string; claims?: Record<string, unknown> } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: TEST_API_KEY,
    sub: '74565',
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
    ...claims,
  };
  for (const [key, value] of Object.entries(payload)) if (value === undefined) delete payload[key];
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A valid campaign body (`POST /api/campaigns`) for a shop selling vendor Acme's products 101 and 102; tests spread their change over it. */
export const VALID_CAMPAIGN_BODY = {
  name: 'Acme winter',
  vendor: 'Acme',
  product_ids: ['101', '102'],
  max_cpc: '0.45',
  daily_budget: '10.00',
  total_budget: '100.00',
  starts_at: '2026-12-01T00:00:00Z',
  ends_at: '2027-01-01T00:00:00Z',
  placements: ['related', 'sponsored'],
};

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The real web process on a free port, with a clock the test sets (campaign defaults, spend day). */
export async function startAdminApp(runtime: Runtime, clock: { now: number }) {
  const server = await startWebServer(runtime, { port: 0, now: () => clock.now, storefrontRedis: runtime.redis });
  const call = async (method: string, path: string, { token, body, raw }: { token?: string; body?: unknown; raw?: string } = {}): Promise<ApiAnswer> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { url: server.url, close: server.close, call };
}
