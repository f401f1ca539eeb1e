import { Writable } from 'node:stream';
import pino from 'pino';
import { startWebServer } from '../../../../app';
import type { Config } from '../../../../shared/config';
import type { Logger } from '../../../../shared/logger';
import type { Runtime } from '../../../../shared/runtime';

/** A pino logger whose lines the test can read (JSON, one object per line). */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/**
 * The web process as operators run it (app/index.ts startWebServer: the proxy listener in front
 * of Express), with the limits and the logger the test chooses, on a free loopback port.
 */
export async function startLimitedServer(
  runtime: Runtime,
  { limits = {}, logger = runtime.logger, now = Date.now }: { limits?: Partial<Config['limits']>; logger?: Logger; now?: () => number } = {},
) {
  return startWebServer({ ...runtime, logger, config: { ...runtime.config, limits: { ...runtime.config.limits, ...limits } } }, { port: 0, now });
}
