import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every metric name starts with this. */
export const METRIC_PREFIX = 'shelfwise_';

/**
 * A registry of one process role (`web` or `worker`), with Node's process metrics (CPU, memory,
 * event-loop lag, GC) under the same prefix. One per role, never prom-client's global one: a
 * process that runs both roles (`shelfwise start`) and tests that start many apps keep them apart.
 */
export function createMetricsRegistry(role: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}
