export { createMetricsRegistry, METRIC_PREFIX } from './registry';
export { registerQueueDepth, QUEUE_STATES } from './queue-depth';
export { registerModelAge, servingModelAges, type ServingModelAge } from './model-age';
export { registerJobDuration, type JobOutcome } from './job-duration';
export { registerHttpLatency, routeGroup, type HttpLatency } from './http-latency';
export { checkReadiness, type CheckState, type Readiness } from './readiness';
export { metricsAllowed } from './metrics-access';
