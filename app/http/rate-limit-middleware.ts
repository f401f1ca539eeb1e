import type { Request, RequestHandler, Response } from 'express';
import { clientAddress } from '../proxy/client-address';
import type { RateLimiter, RateLimitRule, RateLimitSubject } from './rate-limit';

/** The 429 every limited endpoint answers: JSON, and when to come back. */
export function tooManyRequests(res: Response, retryAfterSeconds: number): void {
  res.set('Retry-After', String(retryAfterSeconds));
  res.status(429).json({ error: 'rate_limited' });
}

/**
 * Counts each request against `rule` for the subject `subjectOf` names (null: not counted) and
 * answers 429 with Retry-After once the subject is past the limit.
 */
export function rateLimit(limiter: RateLimiter, rule: RateLimitRule, subjectOf: (req: Request, res: Response) => RateLimitSubject | null): RequestHandler {
  return async (req, res, next) => {
    const subject = subjectOf(req, res);
    if (!subject) return next();
    const outcome = await limiter.hit(rule, subject);
    if (outcome.ok) return next();
    tooManyRequests(res, outcome.retryAfterSeconds);
  };
}

/** The client's address as the proxy in front reports it (only ever a limit's scope, never an identity). */
export const byAddress = (req: Request): RateLimitSubject => ({ address: clientAddress(req) });
