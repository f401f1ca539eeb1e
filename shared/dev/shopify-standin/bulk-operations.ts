import { parseOperation, type FieldNode } from './graphql-document';
import { isConnection } from './graph';
import { project } from './project';
import type { BulkOperationRecord, StandinShop, StandinState } from './state';
import { catalogViews } from './views';

/** A bulk query the stand-in cannot run: Shopify answers these as userErrors on the mutation. */
export class BulkQueryError extends Error {}

/** The selection under a connection field: `edges { node { … } }` or `nodes { … }`. */
function nodeSelection(field: FieldNode): FieldNode[] {
  const edges = field.selections.find((f) => f.name === 'edges');
  const node = edges?.selections.find((f) => f.name === 'node');
  if (node) return node.selections;
  const nodes = field.selections.find((f) => f.name === 'nodes');
  if (nodes) return nodes.selections;
  throw new BulkQueryError(`Invalid bulk query: connection field '${field.name}' must select edges.node or nodes`);
}

/** Shopify's documented limits on a bulk query: five connections in all, nested two levels deep. */
export const BULK_QUERY_LIMITS = { connections: 5, depth: 2 } as const;

/** Connections are recognised by shape (they select `edges` or `nodes`), as the app writes them. */
function isConnectionField(field: FieldNode): boolean {
  return field.selections.some((f) => f.name === 'edges' || f.name === 'nodes');
}

/** Counts the connections under `fields` and the deepest nesting of one inside another. */
function connectionShape(fields: FieldNode[], depth: number): { connections: number; depth: number } {
  let connections = 0;
  let deepest = depth;
  for (const field of fields) {
    const here = isConnectionField(field);
    const inner = connectionShape(field.selections, here ? depth + 1 : depth);
    connections += inner.connections + (here ? 1 : 0);
    deepest = Math.max(deepest, inner.depth);
  }
  return { connections, depth: deepest };
}

/** Refuses what Shopify refuses, so a query the app cannot run there cannot pass here either. */
export function checkBulkQueryLimits(fields: FieldNode[]): void {
  const shape = connectionShape(fields, 0);
  if (shape.connections > BULK_QUERY_LIMITS.connections) {
    throw new BulkQueryError(`Invalid bulk query: ${shape.connections} connections; bulk queries support up to ${BULK_QUERY_LIMITS.connections}`);
  }
  if (shape.depth > BULK_QUERY_LIMITS.depth) {
    throw new BulkQueryError(`Invalid bulk query: connections nested ${shape.depth} levels deep; the maximum is ${BULK_QUERY_LIMITS.depth}`);
  }
}

interface Line {
  depth: number;
  json: string;
}

/**
 * One node and, after it, its children from every nested connection, each child a line of
 * its own carrying `__parentId` — the documented JSONL layout of a bulk query result.
 */
function nodeLines(node: Record<string, unknown>, selection: FieldNode[], parentId: string | undefined, depth: number): Line[] {
  const plain: FieldNode[] = [];
  const nested: FieldNode[] = [];
  for (const field of selection) (isConnection(node[field.name]) ? nested : plain).push(field);
  const own = project(node, plain) as Record<string, unknown>;
  const lines: Line[] = [{ depth, json: JSON.stringify(parentId ? { ...own, __parentId: parentId } : own) }];
  for (const field of nested) {
    const children = (node[field.name] as { nodes: Array<Record<string, unknown>> }).nodes;
    for (const child of children) lines.push(...nodeLines(child, nodeSelection(field), node.id as string, depth + 1));
  }
  return lines;
}

/**
 * Runs a bulk query against the shop's in-memory store. With `groupObjects` children follow
 * their parent; without it (the default from 2026-01) all parents come first, so a client
 * that relies on grouping without asking for it breaks here as it would on Shopify.
 */
export function runBulkQuery(shop: StandinShop, query: string, groupObjects: boolean): { lines: string[]; roots: number } {
  const operation = parseOperation(query);
  const [root, ...others] = operation.fields;
  if (!root || others.length) throw new BulkQueryError('Invalid bulk query: exactly one top-level connection is supported');
  checkBulkQueryLimits(operation.fields);
  const resources: Record<string, () => Array<Record<string, unknown>>> = {
    products: () => catalogViews(shop).products,
    collections: () => catalogViews(shop).collections,
    orders: () => shop.orders as unknown as Array<Record<string, unknown>>,
  };
  const nodes = resources[root.name]?.();
  if (!nodes) throw new BulkQueryError(`Invalid bulk query: Field '${root.name}' doesn't exist on type 'QueryRoot'`);
  const selection = nodeSelection(root);
  const all = nodes.flatMap((node) => nodeLines(node, selection, undefined, 0));
  const ordered = groupObjects ? all : [...all].sort((a, b) => a.depth - b.depth);
  return { lines: ordered.map((l) => l.json), roots: nodes.length };
}

export function createBulkOperation(
  state: StandinState,
  shop: StandinShop,
  query: string,
  groupObjects: boolean,
  now: Date,
): BulkOperationRecord {
  const { lines, roots } = runBulkQuery(shop, query, groupObjects);
  const operation: BulkOperationRecord = {
    id: state.bulkOperationGid(state.nextId()),
    shop: shop.domain,
    query,
    status: 'CREATED',
    observations: 0,
    createdAt: now.toISOString(),
    completedAt: null,
    lines,
    rootObjectCount: roots,
  };
  shop.bulkOperations.push(operation);
  return operation;
}

/**
 * Each look moves a running operation along: CREATED → RUNNING, then COMPLETED once it has
 * been seen `pollsUntilComplete` times. Returns true when this look completed it.
 */
export function observe(operation: BulkOperationRecord, pollsUntilComplete: number, now: Date): boolean {
  operation.observations += 1;
  if (operation.status === 'CREATED') operation.status = 'RUNNING';
  if (operation.status === 'RUNNING' && operation.observations >= pollsUntilComplete) {
    operation.status = 'COMPLETED';
    operation.completedAt = now.toISOString();
    return true;
  }
  return false;
}

/** The BulkOperation object as GraphQL returns it. Counts are UnsignedInt64: strings. */
export function bulkOperationObject(operation: BulkOperationRecord, origin: string): Record<string, unknown> {
  const completed = operation.status === 'COMPLETED';
  const number = operation.id.split('/').pop();
  const bytes = operation.lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  return {
    __typename: 'BulkOperation',
    id: operation.id,
    status: operation.status,
    type: 'QUERY',
    errorCode: null,
    createdAt: operation.createdAt,
    completedAt: operation.completedAt,
    query: operation.query,
    objectCount: String(completed ? operation.lines.length : 0),
    rootObjectCount: String(completed ? operation.rootObjectCount : 0),
    fileSize: completed && operation.lines.length ? String(bytes) : null,
    // Shopify gives no URL for an empty result.
    url: completed && operation.lines.length ? `${origin}/bulk-results/${number}.jsonl` : null,
    partialDataUrl: null,
  };
}
