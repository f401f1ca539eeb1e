import { timingSafeEqual } from 'node:crypto';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics (shop domains and queue sizes are not for the public): with a
 * METRICS_TOKEN, only a request carrying `Authorization: Bearer <token>`; without one, only a
 * client on this machine. The socket's own address is used, never X-Forwarded-For.
 */
export function metricsAllowed(request: { authorization?: string; remoteAddress?: string }, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(request.authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return LOOPBACK.has(request.remoteAddress ?? '');
}
