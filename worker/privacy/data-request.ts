import { createHash } from 'node:crypto';
import type { Db } from '../../shared/db';
import { exportCustomerData, type CustomerDataExport } from './customer-export';
import { customerScope } from './customer-scope';
import type { RedactDeps } from './redact-customer';

export interface DataRequest {
  shop: string;
  /** Shopify's data_request.id; absent, a digest of the request stands in (a redelivery keeps one row). */
  dataRequestId: string | null;
  customerId: string | null;
  ordersRequested: string[];
}

/**
 * customers/data_request: builds the export of what we hold about the customer and stores it in
 * data_requests for the merchant to download (GET /api/data-requests/:id). A redelivery rewrites
 * the same row with a fresh export. Only the pseudonym is stored, not the payload's id, email or phone.
 */
export async function answerDataRequest(
  deps: RedactDeps & { customerIdKey: string; now?: () => Date },
  request: DataRequest,
): Promise<{ id: string; export: CustomerDataExport }> {
  const now = deps.now?.() ?? new Date();
  const id = request.dataRequestId ?? `digest-${createHash('sha256').update(JSON.stringify([request.customerId, [...request.ordersRequested].sort()])).digest('hex').slice(0, 24)}`;
  const scope = await customerScope(deps.db, { shop: request.shop, customerId: request.customerId, orderIds: request.ordersRequested, customerIdKey: deps.customerIdKey });
  const data = await exportCustomerData(deps, { scope, dataRequestId: id, ordersRequested: request.ordersRequested, now });
  await storeDataRequest(deps.db, { shop: request.shop, id, customerKey: scope.customerKey, ordersRequested: request.ordersRequested, now, data });
  return { id, export: data };
}

async function storeDataRequest(db: Db, r: { shop: string; id: string; customerKey: string | null; ordersRequested: string[]; now: Date; data: CustomerDataExport }): Promise<void> {
  const row = {
    shop: r.shop,
    id: r.id,
    customer_key: r.customerKey,
    orders_requested: JSON.stringify(r.ordersRequested),
    requested_at: r.now,
    completed_at: r.now,
    export: JSON.stringify(r.data),
  };
  await db
    .insertInto('data_requests')
    .values(row)
    .onConflict((oc) => oc.columns(['shop', 'id']).doUpdateSet({ customer_key: row.customer_key, orders_requested: row.orders_requested, completed_at: row.completed_at, export: row.export }))
    .execute();
}
