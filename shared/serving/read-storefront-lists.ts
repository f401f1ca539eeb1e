import type { Redis } from '../redis';
import { servingKeys, type ServingPlacement } from './keys';
import { LuaScript } from './scripts';

/**
 * Everything one storefront answer may need from the serving version, in one script and so one
 * round trip and one version: the pointer, `trending`, `popular`, any number of (placement, key)
 * lists, and — for a logged-in customer — the customer's purchase history with the `product`
 * list of each product in it (what "Because you bought …" may name).
 *
 * ARGV: versionBase, customer key or '', n, the version whose fallbacks the caller holds (or ''),
 * then n pairs (placement, key).
 * Reply: {} when nothing is published, else {version, trending, popular, history, list₁ … listₙ,
 * then (product, its product list) per history item}; '' for anything missing. Trending and
 * popular are the same for every request of a version: when the caller already holds the serving
 * version's, they are not sent again.
 */
const READ = new LuaScript(`
local version = redis.call('GET', KEYS[1])
if not version then return {} end
local base = ARGV[1] .. version .. ':'
local history = ''
if ARGV[2] ~= '' then history = redis.call('HGET', base .. 'history', ARGV[2]) or '' end
local reply
if version == ARGV[4] then
  reply = {version, '', '', history}
else
  reply = {version, redis.call('GET', base .. 'trending') or '[]', redis.call('GET', base .. 'popular') or '[]', history}
end
local n = tonumber(ARGV[3])
for i = 0, n - 1 do
  reply[#reply + 1] = redis.call('HGET', base .. ARGV[5 + 2 * i], ARGV[6 + 2 * i]) or ''
end
if history ~= '' then
  local ok, bought = pcall(cjson.decode, history)
  if ok and type(bought) == 'table' then
    for _, product in ipairs(bought) do
      local code = tostring(product)
      reply[#reply + 1] = code
      reply[#reply + 1] = redis.call('HGET', base .. 'product', code) or ''
    end
  end
end
return reply
`);

export interface StorefrontListsRequest {
  redis: Redis;
  /** The configured queue prefix (QUEUE_PREFIX). */
  prefix: string;
  shop: string;
  /** Lists to read, in order: the reply's `lists` has one entry per lookup. */
  lookups: ReadonlyArray<{ placement: ServingPlacement; key: string }>;
  /** Customer key whose purchase history (and its products' lists) to read too. */
  historyOf?: string | null;
  /**
   * The fallback lists of a version read earlier: when that version still serves they are reused
   * (not sent again); when another serves, its lists replace these. One per shop, kept by the caller.
   */
  fallbacks?: FallbackLists;
}

/** A version's trending and popular lists, as a caller keeps them between requests. */
export interface FallbackLists {
  version: string | null;
  trending: string[];
  popular: string[];
}

export interface StorefrontLists {
  /** Null when nothing is published for the shop (every list below is then empty). */
  version: string | null;
  trending: string[];
  popular: string[];
  /** One per lookup, null when the key has no list. */
  lists: Array<string[] | null>;
  /** The customer's latest distinct purchases, newest first, each with its `product` list. */
  history: Array<{ productId: string; list: string[] | null }>;
}

const parse = (raw: string | undefined): string[] | null => {
  if (!raw) return null;
  const value: unknown = JSON.parse(raw);
  if (!Array.isArray(value)) return null;
  // Published lists hold string ids: the parsed array is then used as is (it is fresh), not copied.
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return value.map(String);
  return value as string[];
};

/** The storefront's one read per request (see READ above). */
export async function readStorefrontLists({ redis, prefix, shop, lookups, historyOf, fallbacks }: StorefrontListsRequest): Promise<StorefrontLists> {
  const keys = servingKeys(prefix, shop);
  const args: string[] = [keys.versionBase, historyOf ?? '', String(lookups.length), fallbacks?.version ?? ''];
  for (const { placement, key } of lookups) args.push(placement, key);
  const reply = (await READ.run(redis, [keys.pointer], args)) as string[];
  if (reply.length === 0) return { version: null, trending: [], popular: [], lists: lookups.map(() => null), history: [] };
  const lists = lookups.map((_, i) => parse(reply[4 + i]));
  const history: StorefrontLists['history'] = [];
  for (let i = 4 + lookups.length; i + 1 < reply.length; i += 2) history.push({ productId: reply[i]!, list: parse(reply[i + 1]) });
  const version = reply[0]!;
  if (fallbacks && fallbacks.version === version) return { version, trending: fallbacks.trending, popular: fallbacks.popular, lists, history };
  const read = { version, trending: parse(reply[1]) ?? [], popular: parse(reply[2]) ?? [], lists, history };
  if (fallbacks) Object.assign(fallbacks, { version, trending: read.trending, popular: read.popular });
  return read;
}
