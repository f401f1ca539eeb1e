import { createHash } from 'node:crypto';
import type { Redis } from '../../../shared/redis';
import { storefrontEventKey } from '../../../shared/tracking';

/**
 * Claims a sponsored impression for each winner while the visitor is under the campaign's daily
 * cap, atomically: two requests of one visitor at once can never both take the last one.
 * KEYS[1] the visitor's counts for the day (a hash: campaign → impressions). ARGV: 1 cap,
 * 2 ttl seconds, then campaign ids. Reply: '1'/'0' per campaign.
 */
const CLAIM_SCRIPT = `
local cap = tonumber(ARGV[1])
local out = {}
for i = 3, #ARGV do
  local n = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if n < cap then
    redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
    out[#out + 1] = '1'
  else
    out[#out + 1] = '0'
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return table.concat(out)
`;
const COMMAND = 'claimSponsoredImpressions';
/** A day's counts outlive the day by an hour (a visitor near midnight), then go. */
const TTL_SECONDS = 25 * 3600;

export interface FrequencyCaps {
  /** Takes one impression per campaign under the cap; the ones granted. */
  claim(shop: string, subject: string, day: string, campaignIds: readonly string[], cap: number): Promise<Set<string>>;
}

/**
 * Per-visitor daily impression counts in Redis, keyed by a digest of the subject (the customer's
 * pseudonym, else the shopper's address): nothing readable about the shopper is stored, and the
 * key goes with the day.
 */
export function frequencyCaps(redis: Redis, prefix: string): FrequencyCaps {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  const run = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<string>>)[COMMAND]!.bind(redis);
  const key = (shop: string, subject: string, day: string) =>
    storefrontEventKey(prefix, 'freq', shop, day, createHash('sha256').update(subject).digest('base64url').slice(0, 22));
  return {
    async claim(shop, subject, day, campaignIds, cap) {
      if (!campaignIds.length) return new Set();
      const flags = await run(key(shop, subject, day), cap, TTL_SECONDS, ...campaignIds);
      return new Set(campaignIds.filter((_, i) => flags[i] === '1'));
    },
  };
}
