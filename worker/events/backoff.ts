/** Waits `ms`, or less when `signal` aborts (a shutdown must not sit out a long backoff). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Backoff for transient failures, in ms. */
export interface BackoffOptions {
  /** First wait. Default 100. */
  initialMs: number;
  /** Longest wait. Default 10_000. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000 };

/** The wait before retry number `attempt` (1-based): doubling from `initialMs`, capped. */
export function backoffMs(attempt: number, options: BackoffOptions): number {
  return Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
}
