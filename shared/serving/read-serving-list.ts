import type { Redis } from '../redis';
import { servingKeys, type ServingPlacement } from './keys';
import { LuaScript } from './scripts';

/**
 * Pointer and list in one script, so a reader sees one version whole: never a mix of two, never
 * a version deleted between reading the pointer and reading its list. A key without a list of
 * its own gets the same version's trending list.
 */
const READ = new LuaScript(`
local version = redis.call('GET', KEYS[1])
if not version then return {} end
local base = ARGV[1] .. version .. ':'
if ARGV[2] ~= 'trending' and ARGV[3] ~= '' then
  local list = redis.call('HGET', base .. ARGV[2], ARGV[3])
  if list then return {version, 'list', list} end
end
return {version, 'trending', redis.call('GET', base .. 'trending') or '[]'}
`);

export type ServingList =
  /** `list`: the key's own list; `trending`: the fallback (no list for this key, or asked for). */
  | { version: string; source: 'list' | 'trending'; items: string[] }
  /** Nothing published for this shop yet. */
  | { version: null; source: 'none'; items: [] };

export interface ReadServingListOptions {
  redis: Redis;
  /** The configured queue prefix (QUEUE_PREFIX). */
  prefix: string;
  shop: string;
  placement: ServingPlacement | 'trending';
  /** Customer key for `for_you`, product code for `product` and `cart`; ignored for `trending`. */
  key?: string;
}

/** The one read the storefront makes: the serving version's list for a key, else its trending list. */
export async function readServingList({ redis, prefix, shop, placement, key = '' }: ReadServingListOptions): Promise<ServingList> {
  const keys = servingKeys(prefix, shop);
  const reply = (await READ.run(redis, [keys.pointer], [keys.versionBase, placement, key])) as [string, 'list' | 'trending', string] | [];
  if (reply.length === 0) return { version: null, source: 'none', items: [] };
  const [version, source, json] = reply;
  return { version, source, items: JSON.parse(json) as string[] };
}
