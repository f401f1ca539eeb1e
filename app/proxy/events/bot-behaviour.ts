import type { StorefrontEventInput } from '../../../shared/tracking';

/** Limits on what a person can do; beyond them the sender is treated as a bot. */
export interface BotLimits {
  /** Most events one recommendation token may carry, across requests (an impression, a few clicks and adds). */
  maxEventsPerToken: number;
  /** Most clicks one visitor (or address) sends in one minute. */
  maxClicksPerMinute: number;
  /** Most clicks within `burstWindowMs` of each other in one request. */
  maxClicksPerBurst: number;
  /** Width of a click burst, in ms. */
  burstWindowMs: number;
  /** How long a visitor caught by the cross-request limits stays flagged, in seconds. */
  flagSeconds: number;
}

export const DEFAULT_BOT_LIMITS: BotLimits = {
  maxEventsPerToken: 8,
  maxClicksPerMinute: 20,
  maxClicksPerBurst: 3,
  burstWindowMs: 1_000,
  flagSeconds: 600,
};

/**
 * What one request alone gives away: more clicks inside a second than a hand can make (each
 * click on a card navigates), or one token carrying more events than a person produces. The
 * cross-request limits (clicks per minute, events per token over time) are checked in Redis.
 */
export function looksAutomated(events: readonly StorefrontEventInput[], limits: BotLimits): boolean {
  const perToken = new Map<string, number>();
  for (const event of events) {
    const count = (perToken.get(event.token) ?? 0) + 1;
    if (count > limits.maxEventsPerToken) return true;
    perToken.set(event.token, count);
  }
  const clicks = events
    .filter((e) => e.type === 'click')
    .map((e) => e.at)
    .sort((a, b) => a - b);
  for (let i = limits.maxClicksPerBurst; i < clicks.length; i++) {
    if (clicks[i]! - clicks[i - limits.maxClicksPerBurst]! < limits.burstWindowMs) return true;
  }
  return false;
}
