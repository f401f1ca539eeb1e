import type { Redis } from '../../../shared/redis';
import { storefrontEventKey, storefrontEventStreamKey, STREAM_ENTRY_FIELD } from '../../../shared/tracking';
import type { BotLimits } from './bot-behaviour';

/**
 * Everything Redis decides about one beacon, in one call: the visitor's bot flag, the rate
 * limit, per-token and per-minute click limits, the dedupe by event id, and the append of each
 * new event to the stream. One round trip per request, and atomic: an event marked seen is an
 * event appended, so a duplicate is never a lost event.
 *
 * KEYS: 1 stream, 2 rate counter, 3 click counter, 4 bot flag, 5 the address's rate counter
 * (the same as 2 when the subject is the address), then per event i a seen key (KEYS[4 + 2i])
 * and its token's counter (KEYS[5 + 2i]).
 * ARGV: 1 rate limit, 2 events asked, 3 window ttl, 4 max clicks, 5 max events per token,
 * 6 bot flag ttl, 7 seen ttl, 8 one letter per event ('c' click), 9 the address's rate limit,
 * then each event's entry.
 */
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[4]) == 1 then return {'bot'} end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
local asked = tonumber(ARGV[2])
if used + asked > tonumber(ARGV[1]) then return {'limited'} end
local byAddress = 0
if KEYS[5] ~= KEYS[2] then
  byAddress = tonumber(redis.call('GET', KEYS[5]) or '0')
  if byAddress + asked > tonumber(ARGV[9]) then return {'limited'} end
end
redis.call('SET', KEYS[2], used + asked, 'EX', ARGV[3])
if KEYS[5] ~= KEYS[2] then redis.call('SET', KEYS[5], byAddress + asked, 'EX', ARGV[3]) end
local n = #ARGV - 9
local fresh = {}
local perToken = {}
local clicks = 0
for i = 1, n do
  if redis.call('EXISTS', KEYS[4 + 2 * i]) == 0 then
    fresh[i] = true
    local tok = KEYS[5 + 2 * i]
    local count = perToken[tok] or tonumber(redis.call('GET', tok) or '0')
    perToken[tok] = count + 1
    if count + 1 > tonumber(ARGV[5]) then
      redis.call('SET', KEYS[4], '1', 'EX', ARGV[6])
      return {'bot'}
    end
    if string.sub(ARGV[8], i, i) == 'c' then clicks = clicks + 1 end
  end
end
if clicks > 0 then
  local total = redis.call('INCRBY', KEYS[3], clicks)
  redis.call('EXPIRE', KEYS[3], ARGV[3])
  if total > tonumber(ARGV[4]) then
    redis.call('SET', KEYS[4], '1', 'EX', ARGV[6])
    return {'bot'}
  end
end
for tok, count in pairs(perToken) do redis.call('SET', tok, count, 'EX', ARGV[7]) end
local flags = {}
for i = 1, n do
  if fresh[i] then
    redis.call('SET', KEYS[4 + 2 * i], '1', 'EX', ARGV[7])
    redis.call('XADD', KEYS[1], '*', '${STREAM_ENTRY_FIELD}', ARGV[9 + i])
    flags[i] = '1'
  else
    flags[i] = '0'
  end
end
return {'ok', table.concat(flags)}
`;

const COMMAND = 'appendStorefrontEvents';

/** One checked event, ready for the stream. */
export interface EventToAppend {
  id: string;
  /** Counts toward the per-minute click limit. */
  isClick: boolean;
  /** The token's MAC: names the token in its counter key. */
  tokenMac: string;
  /** The encoded stream entry. */
  entry: string;
}

export type AppendOutcome = { status: 'ok'; appended: boolean[] } | { status: 'limited' } | { status: 'bot' };

export interface AppendRequest {
  shop: string;
  /** The visitor (or hashed address) the limits count. */
  subject: string;
  /** The hashed address when `subject` is a visitor: it gets a budget of its own too. */
  address?: string | null;
  /** Every event in the body, valid or not: all of them use up the rate limit. */
  eventsAsked: number;
  events: readonly EventToAppend[];
}

export interface EventAppenderOptions {
  redis: Redis;
  /** QUEUE_PREFIX. */
  prefix: string;
  /** EVENTS_RATE_LIMIT_PER_MINUTE. */
  eventsPerMinute: number;
  /**
   * Events per minute from one address across the visitor ids it sends, default 4 ×
   * eventsPerMinute (a household or an office shares an address; a made-up id per beacon does too).
   */
  eventsPerAddressPerMinute?: number;
  /** How long an event id is remembered (and a token's event count), in seconds. */
  seenSeconds: number;
  limits: BotLimits;
  /** Epoch ms. */
  now: () => number;
}

/** Appends a request's new events to the stream after the rate and bot limits allow it. */
export function createEventAppender(options: EventAppenderOptions): (request: AppendRequest) => Promise<AppendOutcome> {
  const { redis, prefix, limits } = options;
  // A defined command runs by SHA (EVALSHA): the script text is not resent with each request.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: APPEND_SCRIPT });
  const run = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>)[COMMAND]!.bind(redis);
  const stream = storefrontEventStreamKey(prefix);
  const perAddress = options.eventsPerAddressPerMinute ?? 4 * options.eventsPerMinute;
  return async ({ shop, subject, address, eventsAsked, events }) => {
    // Fixed one-minute windows: cheap, and the limit is a guard against floods, not a meter.
    const minute = String(Math.floor(options.now() / 60_000));
    const rate = storefrontEventKey(prefix, 'rate', shop, subject, minute);
    // One flat list, as the command takes it: the key count, the keys, then the arguments.
    const command: Array<string | number> = [
      5 + 2 * events.length,
      stream,
      rate,
      storefrontEventKey(prefix, 'clicks', shop, subject, minute),
      storefrontEventKey(prefix, 'bot', shop, subject),
      address ? storefrontEventKey(prefix, 'rate', shop, address, minute) : rate,
    ];
    let clickFlags = '';
    for (const event of events) {
      command.push(storefrontEventKey(prefix, 'seen', shop, event.id), storefrontEventKey(prefix, 'token', shop, event.tokenMac));
      clickFlags += event.isClick ? 'c' : '-';
    }
    // ARGV 1-9 as APPEND_SCRIPT reads them, then each event's entry.
    command.push(options.eventsPerMinute, eventsAsked, 61, limits.maxClicksPerMinute, limits.maxEventsPerToken, limits.flagSeconds, options.seenSeconds, clickFlags, perAddress);
    for (const event of events) command.push(event.entry);
    const reply = (await run(...command)) as [string, string?];
    if (reply[0] === 'limited') return { status: 'limited' };
    if (reply[0] === 'bot') return { status: 'bot' };
    const flags = reply[1] ?? '';
    return { status: 'ok', appended: events.map((_, i) => flags[i] === '1') };
  };
}
