export { QUEUE, type QueueName } from './names';
export * from './jobs';
export { openQueue, DEFAULT_JOB_OPTIONS } from './queues';
export { removeShopJobs } from './stop-shop-jobs';
