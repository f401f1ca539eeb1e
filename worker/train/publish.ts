import type { Redis } from '../../shared/redis';
import { LuaScript, SERVING_PLACEMENTS, VERSION_PARTS, servingKeys, versionKeys } from '../../shared/serving';
import type { ServingLists } from './train-from-log';

/** Hash fields per HSET and commands per pipeline round trip. */
const FIELDS_PER_COMMAND = 500;
const COMMANDS_PER_PIPELINE = 64;

export interface WriteListsOptions {
  redis: Redis;
  prefix: string;
  shop: string;
  version: string;
  lists: ServingLists;
  /** Epoch ms; the version's score in the versions set. */
  now: number;
}

/**
 * Writes one version's lists under its own keys, pipelined in chunks (no per-key round trips).
 * The version is registered in the versions set first, so a run that dies half-way leaves keys
 * the cleanup finds and deletes; keys left by an earlier attempt at the same version are
 * dropped before writing. Nothing reads these keys until switchServing points at them.
 */
export async function writeVersionLists({ redis, prefix, shop, version, lists, now }: WriteListsOptions): Promise<{ fields: number; commands: number }> {
  const keys = servingKeys(prefix, shop);
  await redis.multi().zadd(keys.versions, now, version).unlink(...versionKeys(prefix, shop, version)).exec();
  let pipeline = redis.pipeline();
  let queued = 0;
  let commands = 0;
  let fields = 0;
  const flush = async () => {
    if (!queued) return;
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    pipeline = redis.pipeline();
    queued = 0;
  };
  const queue = async (add: () => void) => {
    add();
    queued++;
    commands++;
    if (queued >= COMMANDS_PER_PIPELINE) await flush();
  };
  // `history` is a hash like the placements' (customer key → purchases); absent in lists from before it existed.
  for (const part of [...SERVING_PLACEMENTS, 'history'] as const) {
    const key = keys.list(version, part);
    let chunk: string[] = [];
    for (const [field, list] of Object.entries(lists[part] ?? {})) {
      chunk.push(field, JSON.stringify(list));
      fields++;
      if (chunk.length >= 2 * FIELDS_PER_COMMAND) {
        const args = chunk;
        await queue(() => pipeline.hset(key, ...args));
        chunk = [];
      }
    }
    if (chunk.length) {
      const args = chunk;
      await queue(() => pipeline.hset(key, ...args));
    }
  }
  await queue(() => pipeline.set(keys.list(version, 'trending'), JSON.stringify(lists.trending)));
  await queue(() => pipeline.set(keys.list(version, 'popular'), JSON.stringify(lists.popular ?? [])));
  await flush();
  return { fields, commands };
}

/** Sets the pointer only if it still holds what the run read before fitting ('' = no pointer). */
const COMPARE_AND_SWITCH = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return {0, current or ''} end
redis.call('SET', KEYS[1], ARGV[2])
return {1, current or ''}
`);

export type SwitchResult = { switched: true; previous: string | null } | { switched: false; current: string | null };

export interface SwitchServingOptions {
  redis: Redis;
  prefix: string;
  shop: string;
  version: string;
  /**
   * The version the run saw serving before it fitted (null: none). When given, the pointer moves
   * only if it still names that version: a slower run on an older snapshot never replaces what a
   * newer run published meanwhile. Omitted: switch unconditionally.
   */
  expected?: string | null;
}

/** Points the storefront at `version` atomically (one command or one script). */
export async function switchServing({ redis, prefix, shop, version, expected }: SwitchServingOptions): Promise<SwitchResult> {
  const pointer = servingKeys(prefix, shop).pointer;
  if (expected === undefined) return { switched: true, previous: await redis.set(pointer, version, 'GET') };
  const [switched, seen] = (await COMPARE_AND_SWITCH.run(redis, [pointer], [expected ?? '', version])) as [number, string];
  return switched ? { switched: true, previous: seen || null } : { switched: false, current: seen || null };
}

/** The version the storefront reads now, if any. */
export async function servingVersion({ redis, prefix, shop }: { redis: Redis; prefix: string; shop: string }): Promise<string | null> {
  return redis.get(servingKeys(prefix, shop).pointer);
}

/**
 * Deletes stale versions in one script, so it cannot race a pointer switch: keeps the serving
 * version, the `keepPrevious` newest others (an instant rollback), and any version whose writing
 * began within `graceMs` (another run may be writing it); unlinks the rest.
 */
const CLEANUP = new LuaScript(`
local serving = redis.call('GET', KEYS[1])
local versions = redis.call('ZREVRANGE', KEYS[2], 0, -1, 'WITHSCORES')
local keep = tonumber(ARGV[2])
local since = tonumber(ARGV[3])
local deleted = {}
for i = 1, #versions, 2 do
  local v = versions[i]
  local score = tonumber(versions[i + 1])
  if v ~= serving then
    if keep > 0 then
      keep = keep - 1
    elseif score < since then
      local base = ARGV[1] .. v .. ':'
      for p = 4, #ARGV do redis.call('UNLINK', base .. ARGV[p]) end
      redis.call('ZREM', KEYS[2], v)
      deleted[#deleted + 1] = v
    end
  end
end
return deleted
`);

export interface CleanupOptions {
  redis: Redis;
  prefix: string;
  shop: string;
  /** Versions kept besides the serving one, newest first. Default 1. */
  keepPrevious?: number;
  /** Versions written within this many ms are kept whatever their rank. Default 10 minutes. */
  graceMs?: number;
  /** Epoch ms. */
  now: number;
}

/** Deletes stale versions' keys; returns the ids deleted. */
export async function cleanupVersions({ redis, prefix, shop, keepPrevious = 1, graceMs = 10 * 60_000, now }: CleanupOptions): Promise<string[]> {
  const keys = servingKeys(prefix, shop);
  const parts = VERSION_PARTS;
  return (await CLEANUP.run(redis, [keys.pointer, keys.versions], [keys.versionBase, keepPrevious, now - graceMs, ...parts])) as string[];
}

/** The versions with keys in Redis, newest first. */
export async function writtenVersions({ redis, prefix, shop }: { redis: Redis; prefix: string; shop: string }): Promise<string[]> {
  return redis.zrevrange(servingKeys(prefix, shop).versions, 0, -1);
}
