import os from 'node:os';
import type { Logger } from '../logger';

/** After the first signal, how long closing may take before the process exits anyway. */
const CLOSE_LIMIT_MS = 60_000;

export interface Shutdown {
  /** The signal that started the shutdown, once one has: work failing after it is the closing's doing. */
  readonly signal: NodeJS.Signals | undefined;
}

export interface ShutdownOptions {
  /**
   * Whether the command has reached the state a signal is the expected way to leave (serving):
   * then a signal exits 0 once closed. Before that a signal interrupts unfinished work and exits
   * 128 + its number once closed (130 for SIGINT, 143 for SIGTERM), as a shell reports a command
   * a signal ended, so `cmd && next` does not carry on. Read when the signal arrives; by default
   * always true (a server that only ever serves).
   */
  done?: () => boolean;
}

/** The exit code a shell gives a command that signal ended: 128 + the signal's number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 0);
}

/**
 * SIGINT/SIGTERM run `close` once (workers first, then queues, then connections: the caller
 * orders them) and exit once it is done: 0 when the command was done (see `done`), 128 + the
 * signal's number when the signal interrupted it, 1 when closing failed. A second signal, or
 * closing taking longer than a minute, exits at once (128 + the number of the signal that
 * forced it). Anything started as a child in a process group of its own (the private
 * redis-server) stops when this process exits however it exits.
 */
export function onShutdown(close: () => Promise<void>, logger: Logger, options: ShutdownOptions = {}): Shutdown {
  const done = options.done ?? (() => true);
  const state: { signal: NodeJS.Signals | undefined } = { signal: undefined };
  const handler = (signal: NodeJS.Signals) => {
    if (state.signal) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(signalExitCode(signal));
    }
    state.signal = signal;
    const code = done() ? 0 : signalExitCode(signal);
    logger.info({ signal, exitCode: code }, 'shutting down');
    setTimeout(() => {
      logger.error({ signal, limitMs: CLOSE_LIMIT_MS }, 'shutdown still not done: exiting now');
      process.exit(signalExitCode(signal));
    }, CLOSE_LIMIT_MS).unref();
    close()
      .then(() => process.exit(code))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get signal() {
      return state.signal;
    },
  };
}

export interface CloserStack {
  /** Something opened, to close at `stop`; pushed after `stop` began, it is closed in the same run (or at once, when that run is over). */
  push(close: () => Promise<void>): void;
  /** Closes everything pushed, last-opened first; resolves once nothing is left to close. */
  stop(): Promise<void>;
  /** Whether `stop` has been called: an error thrown after that is the closing's doing. */
  readonly stopping: boolean;
}

/**
 * What a command opened, closed last-opened first. `stop` drains the list until it is empty,
 * closers pushed while it runs included (a step finishing its start after Ctrl-C: the newest
 * opened, so closed next), and every caller (the success path, the failure path, the signal
 * handler) gets the promise of that whole run: a failure caused by a Ctrl-C closing things
 * cannot exit the process while they are still closing, and the signal handler's exit waits for
 * a closer pushed late. A closer pushed after the run is over is closed at once, in a new run
 * that `stop` then returns. A closer that fails is reported and the rest still close.
 */
export function closerStack(report: (error: unknown) => void): CloserStack {
  const closers: Array<() => Promise<void>> = [];
  let stopped = false;
  let draining = false;
  let run: Promise<void> = Promise.resolve();
  const drain = () => {
    if (!draining) {
      draining = true;
      run = (async () => {
        try {
          for (let close = closers.pop(); close; close = closers.pop()) {
            try {
              await close();
            } catch (error) {
              report(error);
            }
          }
        } finally {
          draining = false; // in the same turn as the last pop: a push from here on starts a new run
        }
      })();
    }
    return run;
  };
  return {
    push(close) {
      closers.push(close);
      if (stopped) void drain();
    },
    stop() {
      stopped = true;
      return drain();
    },
    get stopping() {
      return stopped;
    },
  };
}
