import { createHash } from 'node:crypto';
import type { Redis } from '../redis';

/**
 * A Lua script run by EVALSHA, loaded with EVAL on the first NOSCRIPT. Scripts here read keys
 * they learn from the pointer (a version's lists), which Redis Cluster allows because every key
 * of a shop shares its hash tag and so its slot.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
