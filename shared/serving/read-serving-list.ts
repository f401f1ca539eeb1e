import type { Redis } from '../redis';
import { servingKeys, type ServingPlacement } from './keys';
import { LuaScript } from './scripts';

/**
 * Pointer, trending list and the keys' lists in one script, so a reader sees one version whole:
 * never a mix of two, never a version deleted between reading the pointer and reading its lists.
 * Replies `{}` when nothing is published, else `{version, trending, list₁, …}` with '' for a key
 * without a list.
 */
const READ = new LuaScript(`
local version = redis.call('GET', KEYS[1])
if not version then return {} end
local base = ARGV[1] .. version .. ':'
local reply = {version, redis.call('GET', base .. 'trending') or '[]'}
if ARGV[2] ~= 'trending' then
  for i = 3, #ARGV do reply[#reply + 1] = redis.call('HGET', base .. ARGV[2], ARGV[i]) or '' end
end
return reply
`);

export type ServingList =
  /** `list`: the key's own list; `trending`: the fallback (no list for this key, or asked for). */
  | { version: string; source: 'list' | 'trending'; items: string[] }
  /** Nothing published for this shop yet. */
  | { version: null; source: 'none'; items: [] };

interface ReadTarget {
  redis: Redis;
  /** The configured queue prefix (QUEUE_PREFIX). */
  prefix: string;
  shop: string;
}

export interface ReadServingListOptions extends ReadTarget {
  placement: ServingPlacement | 'trending';
  /** Customer key for `for_you`, product code for `product` and `cart`; ignored for `trending`. */
  key?: string;
}

async function read({ redis, prefix, shop }: ReadTarget, placement: string, keys: readonly string[]): Promise<string[]> {
  const k = servingKeys(prefix, shop);
  return (await READ.run(redis, [k.pointer], [k.versionBase, placement, ...keys])) as string[];
}

/** The one read the storefront makes: the serving version's list for a key, else its trending list. */
export async function readServingList({ placement, key, ...target }: ReadServingListOptions): Promise<ServingList> {
  const reply = await read(target, placement, placement === 'trending' || !key ? [] : [key]);
  if (reply.length === 0) return { version: null, source: 'none', items: [] };
  const [version, trending, own] = reply as [string, string, string | undefined];
  return own ? { version, source: 'list', items: JSON.parse(own) as string[] } : { version, source: 'trending', items: JSON.parse(trending) as string[] };
}

export type ServingKeyLists =
  /** `lists[key]` is null for a key without a list of its own (use `trending`). */
  | { version: string; trending: string[]; lists: Record<string, string[] | null> }
  | { version: null; trending: []; lists: Record<string, null> };

/**
 * Several keys of one placement from the same version in one round trip: the cart block sums the
 * lists of every product in the cart.
 */
export async function readServingLists({ placement, keys, ...target }: ReadTarget & { placement: ServingPlacement; keys: readonly string[] }): Promise<ServingKeyLists> {
  const reply = await read(target, placement, keys);
  if (reply.length === 0) return { version: null, trending: [], lists: Object.fromEntries(keys.map((key) => [key, null])) };
  const [version, trending, ...own] = reply as [string, string, ...string[]];
  return {
    version,
    trending: JSON.parse(trending) as string[],
    lists: Object.fromEntries(keys.map((key, i) => [key, own[i] ? (JSON.parse(own[i]!) as string[]) : null])),
  };
}
