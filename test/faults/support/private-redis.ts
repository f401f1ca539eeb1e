import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../../shared/cli/free-port';

export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: a crash, no chance to save), then starts it again on the same port and files. */
  crashAndRestart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A redis-server of the test's own (never the shared one), on a free port, persisting every
 * write to its append-only file before answering (appendonly yes, appendfsync always): the
 * setting production needs for BullMQ's queue to survive a restart (docs/operations.md).
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await answers(url))) throw new Error(`private redis-server on port ${port} does not answer`);
  };
  await launch();
  return {
    url,
    port,
    async crashAndRestart(downMs) {
      child.kill('SIGKILL');
      await exited(child);
      await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    async stop() {
      child.kill('SIGKILL');
      await exited(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
