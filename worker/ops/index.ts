export { jobLogger, watchJobs } from './job-metrics';
export { startWorkerHealthServer, type WorkerHealthServer, type WorkerHealthServerOptions } from './health-server';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics';
