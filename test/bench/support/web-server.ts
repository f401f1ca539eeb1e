// A web process for benchmarks, in its own process so the load generator does not share its
// event loop. Prints its URL on stdout and runs until killed. BENCH_WEB_PROCESSES=N (PostgreSQL
// only: a PGlite data directory belongs to one process) runs N web processes sharing the port
// through node:cluster, as an operator runs several behind a load balancer.
import cluster from 'node:cluster';
import { startWebServer } from '../../../app';
import { freePort } from '../../../shared/cli/free-port';
import { loadConfig } from '../../../shared/config';
import { openRuntime } from '../../../shared/runtime';

const PROCESSES = Number(process.env.BENCH_WEB_PROCESSES ?? '1');

async function serve(port: number): Promise<string> {
  const runtime = await openRuntime(loadConfig(), 'bench-web');
  const server = await startWebServer(runtime, { port });
  const stop = async () => {
    await server.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server.url;
}

async function primary() {
  const port = await freePort();
  const workers = Array.from({ length: PROCESSES }, () => cluster.fork({ BENCH_PORT: String(port) }));
  const urls = await Promise.all(workers.map((w) => new Promise<string>((resolve) => w.once('message', (url: string) => resolve(url)))));
  process.stdout.write(`${urls[0]}\n`);
  const stop = () => {
    for (const w of workers) w.kill('SIGTERM');
    cluster.once('exit', () => undefined);
    setTimeout(() => process.exit(0), 2_000).unref();
    Promise.all(workers.map((w) => new Promise((r) => (w.isDead() ? r(null) : w.once('exit', r))))).then(() => process.exit(0), () => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (PROCESSES > 1 && cluster.isPrimary) {
  void primary();
} else if (cluster.isWorker) {
  void serve(Number(process.env.BENCH_PORT)).then((url) => process.send?.(url));
} else {
  void serve(0).then((url) => process.stdout.write(`${url}\n`));
}
