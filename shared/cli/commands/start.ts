import type { Command } from 'commander';
import { startWebServer } from '../../../app';
import { startWorkers } from '../../../worker';
import { startWorkerHealthServer } from '../../../worker/ops';
import { loadConfig } from '../../config';
import { openRuntime, type Runtime } from '../../runtime';
import { onShutdown } from '../shutdown';

type Role = 'web' | 'worker';

/** Starts the web process, the worker, or both sharing one runtime (the only way with PGlite). */
export async function startRoles(
  runtime: Runtime,
  roles: Role[],
  /** `workerHealth`: serve the worker's /healthz, /readyz, /metrics on WORKER_HEALTH_PORT (unless 0). */
  options: { workerHealth?: boolean } = {},
): Promise<{ url?: string; healthUrl?: string; close(): Promise<void> }> {
  const closers: Array<() => Promise<void>> = [];
  let url: string | undefined;
  let healthUrl: string | undefined;
  if (roles.includes('worker')) {
    const workers = await startWorkers(runtime);
    closers.push(() => workers.close());
    const { ops } = runtime.config;
    if (options.workerHealth && ops.workerHealthPort !== null) {
      const health = await startWorkerHealthServer({
        db: runtime.db,
        redis: runtime.redis,
        registry: workers.metrics.registry,
        logger: runtime.logger,
        port: ops.workerHealthPort,
        host: ops.workerHealthHost,
        metricsToken: ops.metricsToken,
        readyTimeoutMs: ops.readyTimeoutMs,
        running: workers.running,
      });
      healthUrl = health.url;
      // Last to close: probes see "not ready" while the workers drain.
      closers.push(() => health.close());
    }
  }
  if (roles.includes('web')) {
    const server = await startWebServer(runtime);
    url = server.url;
    closers.unshift(() => server.close());
  }
  return {
    url,
    healthUrl,
    async close() {
      for (const close of closers) await close();
    },
  };
}

/**
 * The standalone admin page on this machine (ADMIN_LOCAL_SESSION): always a loopback address,
 * since the local session endpoint answers only a loopback Host; the address the web process
 * listens on when it is one, else 127.0.0.1 (not `localhost`, which may resolve to ::1 first,
 * where another server may listen).
 */
export function localAdminUrl(webUrl: string, shop: string): string {
  const url = new URL(webUrl);
  const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/.test(url.hostname);
  return `http://${loopback ? url.hostname : '127.0.0.1'}:${url.port}/admin?shop=${shop}`;
}

function registerRoleCommand(program: Command, name: string, roles: Role[], description: string) {
  program
    .command(name)
    .description(description)
    .action(async () => {
      const config = loadConfig();
      if (roles.length === 1 && config.database.kind === 'pglite') {
        throw new Error(
          `embedded PGlite serves one process: run \`shelfwise start\` for web and worker together, or set DATABASE_URL`,
        );
      }
      const runtime = await openRuntime(config, roles.join('+'));
      const running = await startRoles(runtime, roles, { workerHealth: true });
      runtime.logger.info({ url: running.url, health: running.healthUrl, database: config.database.kind }, `${name}: running`);
      if (running.url && config.admin.localSession) console.log(`admin: ${localAdminUrl(running.url, '<shop>.myshopify.com')}`);
      onShutdown(async () => {
        await running.close();
        await runtime.close();
      }, runtime.logger);
    });
}

export function registerStart(program: Command): void {
  registerRoleCommand(program, 'start', ['web', 'worker'], 'run the web process and the worker in one process');
  registerRoleCommand(program, 'serve', ['web'], 'run the web process (needs DATABASE_URL)');
  registerRoleCommand(program, 'worker', ['worker'], 'run the background worker (needs DATABASE_URL)');
}
