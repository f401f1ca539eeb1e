import { spawn } from 'node:child_process';
import path from 'node:path';
import { closerStack } from '../../shared/cli/shutdown';

const SHUTDOWN = path.join(__dirname, '..', '..', 'shared', 'cli', 'shutdown.ts');

/** A promise and the function that resolves it, so a test decides when a closer finishes. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('closerStack', () => {
  it('closes last-opened first, reports a failing closer and still closes the rest', async () => {
    const closed: string[] = [];
    const reported: unknown[] = [];
    const closers = closerStack((error) => reported.push(error));
    closers.push(async () => void closed.push('redis'));
    closers.push(async () => {
      throw new Error('runtime would not close');
    });
    closers.push(async () => void closed.push('web'));
    expect(closers.stopping).toBe(false);
    await closers.stop();
    expect(closers.stopping).toBe(true);
    expect(closed).toEqual(['web', 'redis']);
    expect(reported.map((e) => (e as Error).message)).toEqual(['runtime would not close']);
    await closers.stop(); // twice closes nothing twice
    expect(closed).toEqual(['web', 'redis']);
  });

  it('a closer pushed while stop runs is closed in that run: the first caller’s promise waits for it', async () => {
    const closed: string[] = [];
    const closers = closerStack((error) => {
      throw error;
    });
    const runtimeClosing = gate();
    closers.push(async () => void closed.push('redis'));
    closers.push(async () => {
      await runtimeClosing.opened;
      closed.push('runtime');
    });
    // The signal handler's call: its promise is the one that decides when the process exits.
    const handlerWaits = closers.stop();
    // A step finishing its start after the signal (the web server, say) pushes its closer now.
    closers.push(async () => void closed.push('late web server'));
    let settled = false;
    void handlerWaits.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    runtimeClosing.open();
    await handlerWaits;
    // Every closer ran before the handler's promise resolved, the late one (newest) right after the running one.
    expect(closed).toEqual(['runtime', 'late web server', 'redis']);
  });

  it('a closer pushed after the run is over is closed at once, and stop waits for it', async () => {
    const closed: string[] = [];
    const closers = closerStack((error) => {
      throw error;
    });
    await closers.stop(); // nothing to close
    const closing = gate();
    closers.push(async () => {
      await closing.opened;
      closed.push('late');
    });
    const waits = closers.stop();
    let settled = false;
    void waits.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    closing.open();
    await waits;
    expect(closed).toEqual(['late']);
  });
});

/**
 * onShutdown in a child process (it exits the process): the script installs it, prints "ready",
 * and closes through a closerStack whose first closer pushes a late one. `mode`: done never
 * (a run interrupted), always (serving), or hang (closing never ends).
 */
function child(mode: 'interrupted' | 'serving' | 'hang') {
  const script = `
    require('tsx/cjs/api').register();
    const { onShutdown, closerStack } = require(${JSON.stringify(SHUTDOWN)});
    const logger = { info() {}, warn(o, msg) { console.log(msg, o.signal); }, error(o, msg) { console.log(msg, o.signal); } };
    const closers = closerStack((error) => console.log('reported', error.message));
    closers.push(async () => {
      if (${JSON.stringify(mode)} === 'hang') await new Promise(() => setInterval(() => {}, 1000));
      await new Promise((r) => setTimeout(r, 50));
      closers.push(async () => { await new Promise((r) => setTimeout(r, 50)); console.log('late closer ran'); });
    });
    onShutdown(() => closers.stop(), logger, { done: () => ${JSON.stringify(mode)} === 'serving' });
    setInterval(() => {}, 1000);
    console.log('ready');
  `;
  const proc = spawn(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal!)));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', () => stdout.includes('ready\n') && resolve());
    void exited.then(() => reject(new Error(`exited before ready: ${stdout}${stderr}`)));
  });
  return { proc, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('onShutdown', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s before the command is done exits %i once everything, a late closer included, has closed', async (signal, code) => {
    const run = child('interrupted');
    await run.ready;
    run.proc.kill(signal);
    expect(await run.exited).toBe(code);
    expect(run.output()).toEqual({ stdout: 'ready\nlate closer ran\n', stderr: '' });
  }, 30_000);

  it('a signal once the command is done (serving) exits 0 after closing', async () => {
    const run = child('serving');
    await run.ready;
    run.proc.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toEqual({ stdout: 'ready\nlate closer ran\n', stderr: '' });
  }, 30_000);

  it('a second signal while closing exits at once with its own code', async () => {
    const run = child('hang');
    await run.ready;
    // Sent back to back; Node may take them in either order (each can land on another thread).
    run.proc.kill('SIGINT');
    run.proc.kill('SIGTERM');
    const code = await run.exited;
    const second = /^second signal: exiting now (SIGINT|SIGTERM)$/m.exec(run.output().stdout)?.[1];
    expect(second).toBeDefined();
    expect(code).toBe({ SIGINT: 130, SIGTERM: 143 }[second!]);
    expect(run.output().stdout).toBe(`ready\nsecond signal: exiting now ${second}\n`);
  }, 30_000);
});
