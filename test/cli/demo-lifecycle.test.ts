import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../shared/cli/free-port';
import { noRedisMessage } from '../../shared/cli/local-redis';
import { deleteKeys, eventually } from '../support/runtime';
import { FIRST_5000, FIRST_5000_GZ } from '../shared/catalog-csv/fixtures';
import { shelfwise } from './cli-process';
import { tcpAnswers } from '../support/tcp-answers';

const BIN = path.join(__dirname, '..', '..', 'shared', 'cli', 'bin.cjs');
/** The small slice, nothing after loading unless a test asks: the lifecycle is under test, not the models. */
const SLICE = ['--csv', FIRST_5000_GZ, '--no-progress', '--no-train', '--no-shoppers'];

/**
 * The demo's lifecycle, through the real bin in child processes: the private Redis it starts when
 * none answers, the message when it cannot, Ctrl-C while loading and while serving. Every run
 * points REDIS_URL at a closed port so the demo starts (and must stop) a Redis of its own.
 * Idempotence on a live Redis is demo-command.test.ts's.
 */
describe('shelfwise demo lifecycle (the bin, in child processes)', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  /** How to make the demo exit after loading, and how to make it keep serving: read from its --help. */
  let exitFlags: string[] = [];
  let serveFlags: string[] = ['--serve'];

  beforeAll(async () => {
    const help = await shelfwise(['demo', '--help']);
    if (/--no-serve\b/.test(help.stdout)) {
      exitFlags = ['--no-serve'];
      serveFlags = [];
    }
  });

  afterEach(async () => {
    // A failed assertion must not leave a demo running (its private Redis stops with it).
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    // Every run used a private Redis: a key under its prefix on the shared one is a leak, cleaned and then failed on.
    const shared = new Redis('redis://127.0.0.1:6379');
    const leaked: string[] = [];
    try {
      for (const dir of dirs.splice(0)) {
        const secrets = path.join(dir, 'dev-secrets.json');
        if (fs.existsSync(secrets)) {
          const pattern = `${JSON.parse(fs.readFileSync(secrets, 'utf8')).QUEUE_PREFIX}:*`;
          leaked.push(...(await shared.keys(pattern)).slice(0, 5));
          await deleteKeys(shared, pattern);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await shared.quit();
    }
    expect(leaked).toEqual([]);
  });

  async function setup(): Promise<{ dataDir: string; env: { SHELFWISE_DATA_DIR: string; REDIS_URL: string } }> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-lifecycle-'));
    dirs.push(dataDir);
    return { dataDir, env: { SHELFWISE_DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${await freePort()}` } };
  }

  /** The demo in a process group of its own, so a signal to the group is the terminal's Ctrl-C. */
  function startDemo(args: string[], env: Record<string, string>) {
    const child = spawn(process.execPath, [BIN, 'demo', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(child);
    const out = { stdout: '', stderr: '' };
    child.stdout!.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
    const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
    return {
      child,
      out,
      exited,
      /** Resolves with the first match of `pattern` in stdout; fails if the demo exits first. */
      async waitFor(pattern: RegExp, ms = 120_000): Promise<RegExpExecArray> {
        return eventually(async () => {
          const match = pattern.exec(out.stdout);
          if (match) return match;
          if (child.exitCode !== null) throw new Error(`demo exited ${child.exitCode} before ${pattern}:\n${out.stdout}\n${out.stderr}`);
          return undefined;
        }, ms);
      },
      /** Ctrl-C in the demo's terminal: SIGINT to its whole process group. */
      interrupt() {
        process.kill(-child.pid!, 'SIGINT');
      },
    };
  }

  const privateRedis = /started a private redis-server at (redis:\/\/127\.0\.0\.1:(\d+))/;
  const landed = (out: string) => /in the store for [^\n]+\n\s+products: (\d+)[^\n]*\n\s+orders: (\d+)[^,]*, line items: (\d+), refunds: (\d+), customers: (\d+)/.exec(out)?.slice(1).map(Number);
  const expected = [FIRST_5000.products, FIRST_5000.orders, FIRST_5000.lineItems, FIRST_5000.refunds, FIRST_5000.customers];


  /** Processes of that redis-server: itself (named host:port) and its keeper (/bin/sh -c redis-server … --port N). */
  function processesOnPort(port: string): string[] {
    if (process.platform !== 'linux') return [];
    return fs
      .readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .map((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        } catch {
          return '';
        }
      })
      .filter((cmd) => cmd.includes('redis-server') && cmd.includes(port));
  }

  it('starts a private redis-server when none answers, loads the slice, and leaves no redis-server behind', async () => {
    const { env } = await setup();
    const demo = startDemo([...SLICE, ...exitFlags], env);
    expect(await demo.exited).toBe(0);
    const started = privateRedis.exec(demo.out.stdout);
    expect(started).not.toBeNull();
    expect(demo.out.stdout).toContain(`Redis is not reachable at ${env.REDIS_URL}`);
    expect(demo.out.stdout).toContain(`Redis at ${started![1]}`);
    expect(landed(demo.out.stdout)).toEqual(expected);
    expect(demo.out.stdout).toMatch(/failed ingest jobs: 0/);
    expect(demo.out.stderr).toBe('');
    expect(await tcpAnswers(started![1]!)).toBe(false);
    expect(processesOnPort(started![2]!)).toEqual([]);
  }, 180_000);

  it('says in one message how to get Redis when none answers and redis-server is not installed', async () => {
    const { env } = await setup();
    // A PATH with node alone (no redis-server); the bin runs under this test's node either way.
    const nodeOnly = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-node-only-'));
    dirs.push(nodeOnly);
    fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
    const run = await shelfwise(['demo', ...SLICE, ...exitFlags], { ...env, PATH: nodeOnly });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toBe(`${noRedisMessage(env.REDIS_URL)}\n`);
    expect(run.stderr).toMatch(/apt-get install redis-server/);
    expect(run.stderr).toMatch(/brew install redis/);
    expect(run.stderr).toMatch(/REDIS_URL/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).not.toMatch(/started a private|web process at/);
  }, 60_000);

  it('Ctrl-C while loading stops everything, exits 130 (interrupted), and the next run loads exactly what an uninterrupted one does', async () => {
    const { dataDir, env } = await setup();
    // At info the logger says when the signal has been taken.
    const demo = startDemo([...SLICE, ...exitFlags], { ...env, LOG_LEVEL: 'info' });
    const started = await demo.waitFor(privateRedis);
    await demo.waitFor(/web process at/);
    // Mid-load: some deliveries claimed in the private Redis, not all (the slice sends 1,812).
    const redis = new Redis(started[1]!);
    try {
      await eventually(async () => ((await redis.dbsize()) > 100 ? true : undefined), 120_000);
      // Writes held from here until the signal has been taken: the load cannot finish in between,
      // so "not yet in the store" below stays true until the Ctrl-C lands, whatever the timing.
      await redis.call('CLIENT', 'PAUSE', '60000', 'WRITE');
      try {
        expect(demo.out.stdout).not.toMatch(/in the store for/);
        demo.interrupt();
        await demo.waitFor(/"msg":"shutting down"/);
      } finally {
        await redis.call('CLIENT', 'UNPAUSE');
      }
    } finally {
      redis.disconnect();
    }
    // 128 + SIGINT: the run did not finish, so `shelfwise demo --no-serve && next` does not carry on.
    expect(await demo.exited).toBe(130);
    expect(demo.out.stderr).toBe('');
    expect(demo.out.stdout).not.toMatch(/in the store for/);
    expect(await tcpAnswers(started[1]!)).toBe(false);
    expect(processesOnPort(started[2]!)).toEqual([]);

    // The same data directory (PGlite files, secrets), a new private Redis with no memory of the first.
    const again = startDemo([...SLICE, ...exitFlags], { ...env, SHELFWISE_DATA_DIR: dataDir });
    expect(await again.exited).toBe(0);
    expect(landed(again.out.stdout)).toEqual(expected);
    expect(again.out.stdout).toMatch(/failed ingest jobs: 0/);
    expect(again.out.stdout).toMatch(/deliveries: (\d+) sent, \1 accepted, 0 duplicates, 0 failed/);
  }, 300_000);

  it('Ctrl-C while serving closes the web (and storefront) ports and stops the private Redis', async () => {
    const { env } = await setup();
    const demo = startDemo([...SLICE, ...serveFlags], env);
    const started = await demo.waitFor(privateRedis);
    const web = (await demo.waitFor(/web process at (http:\/\/\S+?);/))[1]!;
    // The line that says it serves, with the development storefront's own port: required, not looked for.
    const storefront = (await demo.waitFor(/^serving the app at \S+ and the storefront at (http:\/\/[^\s,]+) — Ctrl-C to stop$/m))[1]!;
    expect((await fetch(`${web}/healthz`)).status).toBe(200);
    expect(await tcpAnswers(storefront)).toBe(true);
    demo.interrupt();
    // Serving is where the demo was meant to be stopped: a clean exit.
    expect(await demo.exited).toBe(0);
    expect(demo.out.stderr).toBe('');
    await expect(fetch(`${web}/healthz`)).rejects.toThrow();
    expect(await tcpAnswers(storefront)).toBe(false);
    expect(await tcpAnswers(started[1]!)).toBe(false);
    expect(processesOnPort(started[2]!)).toEqual([]);
  }, 180_000);

  it('a second signal while closing exits at once, with its own code, and the private Redis still stops', async () => {
    const { env } = await setup();
    // At info the logger says which signal it took and which one made it exit.
    const demo = startDemo([...SLICE, ...exitFlags], { ...env, LOG_LEVEL: 'info' });
    const started = await demo.waitFor(privateRedis);
    await demo.waitFor(/web process at/);
    // Back to back: two SIGINTs could be merged into one, different signals are not, and the
    // closing (workers, PGlite, Redis) cannot finish before the second one is handled. Node may
    // take them in either order (each can land on another of its threads): the log says which.
    demo.interrupt();
    process.kill(-demo.child.pid!, 'SIGTERM');
    const code = await demo.exited;
    const first = /"signal":"(SIGINT|SIGTERM)"[^\n]*"msg":"shutting down"/.exec(demo.out.stdout)?.[1];
    const second = /"signal":"(SIGINT|SIGTERM)"[^\n]*"msg":"second signal: exiting now"/.exec(demo.out.stdout)?.[1];
    expect([first, second].sort()).toEqual(['SIGINT', 'SIGTERM']);
    // 128 + the second signal's number: its exit at once (closing after the first would exit with the first's code).
    expect(code).toBe({ SIGINT: 130, SIGTERM: 143 }[second!]);
    await eventually(async () => ((await tcpAnswers(started[1]!)) || processesOnPort(started[2]!).length ? undefined : true), 30_000);
  }, 180_000);

  it('the private Redis stops even when the demo is killed outright (SIGKILL)', async () => {
    const { env } = await setup();
    const demo = startDemo([...SLICE, ...exitFlags], env);
    const started = await demo.waitFor(privateRedis);
    await demo.waitFor(/web process at/);
    demo.child.kill('SIGKILL'); // the demo alone, not its group: nothing of ours runs to clean up
    expect(await demo.exited).toBe('SIGKILL');
    // The keeper sees its stdin close, stops redis-server and waits for it.
    await eventually(async () => ((await tcpAnswers(started[1]!)) || processesOnPort(started[2]!).length ? undefined : true), 30_000);
  }, 180_000);
});
