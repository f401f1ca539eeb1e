import type { GraphqlClient } from '@shopify/shopify-api';
import { ShelfwiseError } from '../../shared/errors';

export interface BulkOperationState {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
  errorCode: string | null;
  /** Lines in the result; UnsignedInt64 comes over the wire as a string. */
  objectCount: number;
  /** Null while running, and for a completed operation with no results. */
  url: string | null;
}

/** Shopify refused to start the operation (userErrors), or it ended other than COMPLETED. */
export class BulkOperationError extends ShelfwiseError {}

const RUN = `mutation ShelfwiseBulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message }
  }
}`;

const POLL = `query ShelfwiseBulkPoll($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount url }
  }
}`;

const RETRIES = 2;

/**
 * Starts a bulk query. `groupObjects: true` puts children right under their parent, which is
 * what lets the result be joined while streaming; it has not been the default since 2026-01.
 */
export async function startBulkQuery(client: GraphqlClient, query: string): Promise<string> {
  const { data } = await client.request<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ message: string }> };
  }>(RUN, { variables: { query }, retries: RETRIES });
  const result = data?.bulkOperationRunQuery;
  if (!result?.bulkOperation) {
    throw new BulkOperationError(`bulk query refused: ${result?.userErrors.map((e) => e.message).join('; ') || 'no operation returned'}`);
  }
  return result.bulkOperation.id;
}

const FINISHED = new Set(['COMPLETED', 'CANCELED', 'FAILED', 'EXPIRED']);

/** Polls the operation until it finishes (any final status), or gives up after `maxWaitMs`. */
export async function waitForBulkOperation(
  client: GraphqlClient,
  id: string,
  { pollIntervalMs, maxWaitMs, sleep }: { pollIntervalMs: number; maxWaitMs: number; sleep: (ms: number) => Promise<void> },
): Promise<BulkOperationState> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const { data } = await client.request<{
      node: { id: string; status: BulkOperationState['status']; errorCode: string | null; objectCount: string; url: string | null } | null;
    }>(POLL, { variables: { id }, retries: RETRIES });
    const node = data?.node;
    if (!node) throw new BulkOperationError(`bulk operation ${id} not found`);
    if (FINISHED.has(node.status)) return { ...node, objectCount: Number(node.objectCount) };
    if (Date.now() > deadline) throw new BulkOperationError(`bulk operation ${id} still ${node.status} after ${maxWaitMs} ms`);
    await sleep(pollIntervalMs);
  }
}
