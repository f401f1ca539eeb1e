import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../../shared/cli/free-port';

const BIN = path.join(__dirname, '..', '..', '..', 'shared', 'cli', 'bin.cjs');

export interface WorkerProcess {
  pid: number;
  healthUrl: string;
  /** The last lines it wrote (stdout and stderr), for a failure message. */
  output(): string;
  /** How it ended (signal or exit code), or undefined while it runs. */
  ended(): NodeJS.Signals | number | undefined;
  /** Sends `signal` to the worker and its children (its own process group) and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null>;
}

/**
 * The real `shelfwise worker` in a child process, as an operator runs it, in a process group of
 * its own (so a SIGKILL takes its training child too, as a lost machine would). Resolves once
 * its health server says it is ready.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [BIN, 'worker'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, WORKER_HEALTH_PORT: String(port), WORKER_HEALTH_HOST: '127.0.0.1' },
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const healthUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`shelfwise worker exited with ${child.exitCode}:\n${lines.slice(-20).join('\n')}`);
    const ready = await fetch(`${healthUrl}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > until) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`shelfwise worker not ready within 60 s:\n${lines.slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid!,
    healthUrl,
    output: () => lines.slice(-40).join('\n'),
    ended: () => child.signalCode ?? child.exitCode ?? undefined,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // Already gone.
        }
      }
      return exit;
    },
  };
}
