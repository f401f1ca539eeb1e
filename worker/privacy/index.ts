/**
 * Privacy and compliance (docs/privacy.md): the customers/data_request export, customers/redact
 * and shop/redact across the database, Redis and stored model artifacts, and the retention purge
 * of raw storefront events.
 */
export { answerDataRequest, type DataRequest } from './data-request';
export { EXPORT_FORMAT, exportCustomerData, type CustomerDataExport } from './customer-export';
export { customerScope, type CustomerScope } from './customer-scope';
export { deleteCustomerLists, readCustomerLists, type CustomerLists } from './customer-lists';
export { redactCustomer, rememberRedaction, type CustomerRedaction, type RedactDeps } from './redact-customer';
export { eraseShopRows, redactShop, type ShopRedaction } from './redact-shop';
export { purgeRawEvents, type EventPurge } from './purge-events';
export { startPurgeJob, PRIVACY_QUEUE, PURGE_EVENTS_JOB, type PurgeJob, type PurgeJobOptions } from './purge-job';
export { scrubCustomersFromArtifacts } from './scrub-artifacts';
