export { opsRouter, type OpsRouterOptions } from './ops-router';
