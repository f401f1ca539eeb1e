import { fork } from 'node:child_process';
import path from 'node:path';
import { FitAbortedError, FitCrashedError, FitFailedError } from './errors';

/** The child's entry file: registers tsx, runs one fit, answers once. */
export const FIT_CHILD_ENTRY = path.join(__dirname, 'fit-child.cjs');

export interface ChildFitRequest {
  /** Absolute path of the module that exports the fit (a .ts file is fine: the child runs tsx). */
  module: string;
  /** Name of the exported async function; it is called with `args`. */
  exportName: string;
  /** Structured-cloneable arguments (typed arrays travel as typed arrays). */
  args: unknown[];
  /** Aborting kills the child and rejects with FitAbortedError. */
  signal?: AbortSignal;
  /** The child's environment. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Called with the child's pid once it is forked (tests watch or kill it). */
  onSpawn?: (pid: number) => void;
}

type ChildAnswer = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; stack?: string } };

/**
 * Runs `module[exportName](...args)` in a forked Node process and resolves with its result.
 * `serialization: 'advanced'` (structured clone) carries typed arrays, Maps and Dates both ways.
 * A child that dies before answering rejects with FitCrashedError (retryable), one whose fit
 * throws with FitFailedError; either way the child is gone when the promise settles.
 */
export function fitInChildProcess<T>({ module, exportName, args, signal, env, onSpawn }: ChildFitRequest): Promise<T> {
  if (signal?.aborted) return Promise.reject(new FitAbortedError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const child = fork(FIT_CHILD_ENTRY, [], {
      serialization: 'advanced',
      env: env ?? process.env,
      // The parent's loader flags (jest's, tsx's CLI) are not the child's: it registers tsx itself.
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      settle(() => reject(new FitAbortedError(signal?.reason)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.once('message', (message: ChildAnswer) => {
      // Closing the channel lets the child exit (it listens for 'disconnect').
      if (child.connected) child.disconnect();
      settle(() =>
        message.ok ? resolve(message.value as T) : reject(new FitFailedError(message.error.name, message.error.message, message.error.stack)),
      );
    });
    child.once('exit', (code, killedBy) => settle(() => reject(new FitCrashedError(code, killedBy))));
    child.once('error', (error) => {
      child.kill('SIGKILL');
      settle(() => reject(Object.assign(new FitCrashedError(null, null), { cause: error })));
    });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    try {
      child.send({ module, exportName, args } satisfies Pick<ChildFitRequest, 'module' | 'exportName' | 'args'>);
    } catch (error) {
      // Arguments structured clone cannot carry: a bug of the caller, the same on every retry.
      child.kill('SIGKILL');
      settle(() => reject(error));
    }
  });
}
