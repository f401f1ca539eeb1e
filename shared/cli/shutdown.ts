import type { Logger } from '../logger';

/** After the first signal, how long closing may take before the process exits anyway. */
const CLOSE_LIMIT_MS = 60_000;

export interface Shutdown {
  /** The signal that started the shutdown, once one has: work failing after it is the closing's doing. */
  readonly signal: NodeJS.Signals | undefined;
}

/**
 * SIGINT/SIGTERM run `close` once (workers first, then queues, then connections: the caller
 * orders them) and exit 0 once it is done; a second signal, or closing taking longer than a
 * minute, exits at once (130). Anything started as a child in a process group of its own (the
 * private redis-server) stops when this process exits however it exits.
 */
export function onShutdown(close: () => Promise<void>, logger: Logger): Shutdown {
  const state: { signal: NodeJS.Signals | undefined } = { signal: undefined };
  const handler = (signal: NodeJS.Signals) => {
    if (state.signal) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    state.signal = signal;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ signal, limitMs: CLOSE_LIMIT_MS }, 'shutdown still not done: exiting now');
      process.exit(130);
    }, CLOSE_LIMIT_MS).unref();
    close()
      .then(() => process.exit(0))
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
  push(close: () => Promise<void>): void;
  stop(): Promise<void>;
  /** Whether `stop` has been called: an error thrown after that is the closing's doing. */
  readonly stopping: boolean;
}

/**
 * What a command opened, closed last-opened first. `stop` runs the closers once: every caller
 * (the success path, the failure path, the signal handler) awaits the same run, so a failure
 * caused by a Ctrl-C closing things cannot exit the process while they are still closing.
 */
export function closerStack(report: (error: unknown) => void): CloserStack {
  const closers: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  return {
    push(close) {
      // Opened while stopping (a step finishing after the signal): closed right after the rest.
      if (stopping) stopping = stopping.then(() => close().catch(report));
      else closers.push(close);
    },
    stop() {
      stopping ??= (async () => {
        for (const close of closers.splice(0).reverse()) await close().catch(report);
      })();
      return stopping;
    },
    get stopping() {
      return stopping !== undefined;
    },
  };
}
