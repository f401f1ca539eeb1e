import { z } from 'zod';
import { customerPseudonym } from '../../shared/crypto';
import { answerDataRequest, customerScope, redactCustomer, redactShop, rememberRedaction, type CustomerRedaction, type RedactDeps, type ShopRedaction } from '../privacy';

/** Shopify's customer and order ids: integers, as numbers or decimal strings. */
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]{1,20}$/, 'must be a decimal id')]).transform(String);

/** The compliance webhooks' bodies as far as we read them (email and phone are never read). */
export const customersRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }).nullish(),
  orders_to_redact: z.array(id).nullish(),
});
export const customersDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }).nullish(),
  orders_requested: z.array(id).nullish(),
  data_request: z.object({ id }).nullish(),
});
export const shopRedactPayload = z.object({ shop_domain: z.string() });

/** What the compliance topics need: the store, and Redis and the queues when the worker has them. */
export type ComplianceDeps = RedactDeps & { customerIdKey: string; now?: () => Date };

/** customers/redact (worker/privacy redactCustomer): every store loses the customer. */
export async function handleCustomersRedact(deps: ComplianceDeps, shop: string, payload: z.output<typeof customersRedactPayload>): Promise<CustomerRedaction> {
  const customerId = payload.customer?.id ?? null;
  const orderIds = payload.orders_to_redact ?? [];
  await rememberRedaction(deps.db, { shop, customerKey: customerId ? customerPseudonym(deps.customerIdKey, shop, customerId) : null, orderIds });
  const scope = await customerScope(deps.db, { shop, customerId, orderIds, customerIdKey: deps.customerIdKey });
  return redactCustomer(deps, scope);
}

/** customers/data_request (worker/privacy answerDataRequest): the export, stored for the merchant. */
export async function handleCustomersDataRequest(deps: ComplianceDeps, shop: string, payload: z.output<typeof customersDataRequestPayload>): Promise<string> {
  const { id: requestId } = await answerDataRequest(deps, {
    shop,
    dataRequestId: payload.data_request?.id ?? null,
    customerId: payload.customer?.id ?? null,
    ordersRequested: payload.orders_requested ?? [],
  });
  return requestId;
}

/** shop/redact (worker/privacy redactShop): everything of the shop goes. */
export function handleShopRedact(deps: ComplianceDeps, shop: string): Promise<ShopRedaction> {
  return redactShop(deps, shop);
}
