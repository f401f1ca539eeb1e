import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; `base` fields (role, shop) ride along on every line. */
export function createLogger(options: { level: string; base?: Record<string, unknown> }): Logger {
  return pino({ level: options.level, base: { ...options.base }, timestamp: pino.stdTimeFunctions.isoTime });
}
