import { ShelfwiseError } from '../../../shared/errors';

/**
 * The training child died before it answered: killed (out of memory, SIGKILL) or exited.
 * Nothing was published; the attempt fails and the job retries with backoff.
 */
export class FitCrashedError extends ShelfwiseError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`training child ${signal ? `was killed by ${signal}` : `exited with code ${exitCode}`} before it answered`);
  }
}

/** The fit threw in the child; its error's name and message come back as this one's. */
export class FitFailedError extends ShelfwiseError {
  constructor(
    readonly childErrorName: string,
    message: string,
    readonly childStack?: string,
  ) {
    super(`training failed in the child: ${childErrorName}: ${message}`);
  }
}

/** The fit was stopped on purpose (shutdown or cancellation); its child was killed. */
export class FitAbortedError extends ShelfwiseError {
  constructor(readonly reason: unknown) {
    super(`training fit aborted${reason === undefined ? '' : `: ${String(reason)}`}`);
  }
}
