// A web process for benchmarks, in its own process so the load generator does not share its
// event loop. Prints its URL on stdout and runs until killed.
import { startWebServer } from '../../../app';
import { loadConfig } from '../../../shared/config';
import { openRuntime } from '../../../shared/runtime';

async function run() {
  const runtime = await openRuntime(loadConfig(), 'bench-web');
  const server = await startWebServer(runtime, { port: 0 });
  process.stdout.write(`${server.url}\n`);
  const stop = async () => {
    await server.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
void run();
