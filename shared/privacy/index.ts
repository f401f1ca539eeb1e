export { redactedCustomerKey } from './redacted-customer-key';
