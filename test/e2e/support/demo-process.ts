import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', 'shared', 'cli', 'bin.cjs');

export interface DemoProcess {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  /** The first match of `pattern` in stdout; rejects if the demo exits first or `ms` pass. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray>;
  /** Ctrl-C in the demo's terminal: SIGINT to its whole process group. */
  interrupt(): void;
  /** SIGKILL to the group, if it still runs (a failed test must not leave a demo serving). */
  kill(): void;
}

/** The real `shelfwise demo` (the bin) in a process group of its own, as a newcomer runs `npm start`. */
export function startDemo(args: string[], env: Record<string, string>): DemoProcess {
  const child = spawn(process.execPath, [BIN, 'demo', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const running = () => child.exitCode === null && child.signalCode === null;
  // Its own process group: a Ctrl-C or kill of the test runner does not reach it, so whatever ends
  // this process takes the demo (and its ports, data directory and private Redis) with it.
  const killGroup = () => {
    if (running()) process.kill(-child.pid!, 'SIGKILL');
  };
  process.once('exit', killGroup);
  void exited.then(() => process.removeListener('exit', killGroup));
  return {
    child,
    out,
    exited,
    async waitFor(pattern, ms) {
      const until = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(out.stdout);
        if (match) return match;
        if (!running()) throw new Error(`demo exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${out.stdout}\n${out.stderr}`);
        if (Date.now() > until) throw new Error(`no ${pattern} within ${ms} ms:\n${out.stdout}\n${out.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    interrupt() {
      process.kill(-child.pid!, 'SIGINT');
    },
    kill: killGroup,
  };
}

/** What a served demo prints at the end: the storefront's product page, its cart, and the admin. */
export function demoUrls(stdout: string): { product: string; cart: string; admin: string } {
  const url = (label: string) => {
    const match = new RegExp(`^${label}: (http://\\S+)`, 'm').exec(stdout);
    if (!match) throw new Error(`the demo printed no ${label} URL:\n${stdout}`);
    return match[1]!;
  };
  return { product: url('storefront'), cart: url('cart'), admin: url('admin') };
}
