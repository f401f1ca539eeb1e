import { createHmac } from 'node:crypto';
import type { Redis } from '../../shared/redis';

/** One limit: at most `limit` hits per `windowSeconds` for each subject. */
export interface RateLimitRule {
  /** Part of the counter's key: which endpoint family counts (`webhooks`, `admin-api`, …). */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Whom one hit counts against. Shop-scoped counters carry the shop's hash tag like every key of a shop. */
export type RateLimitSubject = { shop: string; address?: string } | { address: string };

export type RateLimitOutcome = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * INCR the window's counter; the first hit sets its expiry (the window plus a second, so a
 * counter never outlives its window by much). One round trip, atomic.
 */
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/**
 * Fixed-window counters in Redis, shared by every web process (a per-process limit would grow
 * with the number of processes). Keys: `P:{shop}:rl:NAME:SUBJECT:WINDOW` for a shop's counters,
 * `P:rl:NAME:a-HASH:WINDOW` for a client address before any shop is known. Addresses are kept
 * only as a keyed hash, and only for the window.
 *
 * A Redis failure lets the request through: the limits protect capacity, and every endpoint
 * behind them still authenticates on its own.
 */
export class RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly addressKey: string;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;

  constructor({ redis, prefix, addressKey, now = Date.now, onError = () => undefined }: { redis: Redis; prefix: string; addressKey: string; now?: () => number; onError?: (error: unknown) => void }) {
    this.redis = redis;
    this.prefix = prefix;
    this.addressKey = addressKey;
    this.now = now;
    this.onError = onError;
  }

  /** Counts one hit; refused once the subject's count in this window passes the rule's limit. */
  async hit(rule: RateLimitRule, subject: RateLimitSubject): Promise<RateLimitOutcome> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const window = Math.floor(nowSeconds / rule.windowSeconds);
    const key = this.key(rule, subject, window);
    let count: number;
    try {
      count = Number(await this.redis.eval(HIT_SCRIPT, 1, key, String(rule.windowSeconds + 1)));
    } catch (error) {
      this.onError(error);
      return { ok: true };
    }
    if (count <= rule.limit) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, (window + 1) * rule.windowSeconds - nowSeconds) };
  }

  private key(rule: RateLimitRule, subject: RateLimitSubject, window: number): string {
    const who = subject.address === undefined ? '-' : `a-${this.addressHash(subject.address)}`;
    if ('shop' in subject) return `${this.prefix}:{${subject.shop}}:rl:${rule.name}:${who}:${window}`;
    return `${this.prefix}:rl:${rule.name}:${who}:${window}`;
  }

  private addressHash(address: string): string {
    return createHmac('sha256', this.addressKey).update(`rate-limit:${address}`).digest('base64url').slice(0, 22);
  }
}

/** A rule counting per minute. */
export const perMinute = (name: string, limit: number): RateLimitRule => ({ name, limit, windowSeconds: 60 });
