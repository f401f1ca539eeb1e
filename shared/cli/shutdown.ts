import type { Logger } from '../logger';

/**
 * SIGINT/SIGTERM run `close` once (workers first, then queues, then connections: the caller
 * orders them); a second signal exits at once.
 */
export function onShutdown(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
