import { bulkOperationObject, BulkQueryError, createBulkOperation, observe } from './bulk-operations';
import { GraphqlSyntaxError, parseOperation, type FieldNode } from './graphql-document';
import { connection, gid } from './graph';
import { project, UnknownFieldError } from './project';
import type { BulkOperationRecord, StandinShop, StandinState, WebhookSubscription } from './state';
import { catalogViews } from './views';

/** Compliance topics are configured in the app's TOML; the API does not know them. */
const NOT_SUBSCRIBABLE = new Set(['CUSTOMERS_DATA_REQUEST', 'CUSTOMERS_REDACT', 'SHOP_REDACT']);

export interface GraphqlContext {
  state: StandinState;
  shop: StandinShop;
  apiVersion: string;
  origin: string;
  pollsUntilComplete: number;
  now: Date;
  /** Called when a look at an operation completes it (for the bulk_operations/finish webhook). */
  onBulkCompleted(operation: BulkOperationRecord): void;
}

class FieldError extends Error {}

const userError = (field: string[] | null, message: string) => ({ field, message });

function isLocal(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function callbackUrlProblem(raw: unknown): string | undefined {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    return 'Address is invalid';
  }
  // Shopify only delivers over https; the stand-in lets loopback http through for local runs.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocal(url))) {
    return 'Address protocol http:// is not supported';
  }
  return undefined;
}

function lookAt(ctx: GraphqlContext, operation: BulkOperationRecord | undefined) {
  if (!operation) return null;
  if (observe(operation, ctx.pollsUntilComplete, ctx.now)) ctx.onBulkCompleted(operation);
  return bulkOperationObject(operation, ctx.origin);
}

/** Shopify's default for `groupObjects` flipped to false in 2026-01. */
function defaultGroupObjects(apiVersion: string): boolean {
  return apiVersion < '2026-01';
}

const queryRoot: Record<string, (ctx: GraphqlContext, args: Record<string, unknown>) => unknown> = {
  shop: ({ shop }) => ({
    __typename: 'Shop',
    id: gid('Shop', shop.id),
    name: shop.name,
    currencyCode: shop.currencyCode,
    myshopifyDomain: shop.domain,
  }),
  webhookSubscriptions: ({ shop }, args) => {
    const first = Number(args.first ?? 50);
    if (first > 250) throw new FieldError('first: must be at most 250');
    return connection(shop.webhookSubscriptions.slice(0, first));
  },
  collections: ({ shop }, args) => {
    const first = Number(args.first ?? 50);
    if (first > 250) throw new FieldError('first: must be at most 250');
    return connection(catalogViews(shop).collections.slice(0, first));
  },
  currentBulkOperation: (ctx, args) => {
    const type = args.type ?? 'QUERY';
    if (type !== 'QUERY') return null;
    return lookAt(ctx, ctx.shop.bulkOperations[ctx.shop.bulkOperations.length - 1]);
  },
  bulkOperation: (ctx, args) => lookAt(ctx, ctx.shop.bulkOperations.find((op) => op.id === args.id)),
  node: (ctx, args) => lookAt(ctx, ctx.shop.bulkOperations.find((op) => op.id === args.id)),
};

const mutationRoot: Record<string, (ctx: GraphqlContext, args: Record<string, unknown>) => unknown> = {
  webhookSubscriptionCreate: ({ state, shop, now }, args) => {
    const topic = String(args.topic ?? '');
    if (!/^[A-Z][A-Z0-9_]*$/.test(topic) || NOT_SUBSCRIBABLE.has(topic)) {
      throw new FieldError(`Argument 'topic' on Field 'webhookSubscriptionCreate' has an invalid value (${topic}).`);
    }
    const input = (args.webhookSubscription ?? {}) as { callbackUrl?: unknown; includeFields?: string[]; metafieldNamespaces?: string[] };
    const problem = callbackUrlProblem(input.callbackUrl);
    if (problem) return { webhookSubscription: null, userErrors: [userError(['webhookSubscription', 'callbackUrl'], problem)] };
    const callbackUrl = String(input.callbackUrl);
    if (shop.webhookSubscriptions.some((s) => s.topic === topic && s.endpoint.callbackUrl === callbackUrl)) {
      return {
        webhookSubscription: null,
        userErrors: [userError(['webhookSubscription', 'callbackUrl'], 'Address for this topic has already been taken')],
      };
    }
    const subscription: WebhookSubscription = {
      __typename: 'WebhookSubscription',
      id: gid('WebhookSubscription', state.nextId()),
      topic,
      includeFields: [...(input.includeFields ?? [])],
      metafieldNamespaces: [...(input.metafieldNamespaces ?? [])],
      format: 'JSON',
      endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl },
      createdAt: now.toISOString(),
    };
    shop.webhookSubscriptions.push(subscription);
    return { webhookSubscription: subscription, userErrors: [] };
  },
  webhookSubscriptionUpdate: ({ shop }, args) => {
    const subscription = shop.webhookSubscriptions.find((s) => s.id === args.id);
    if (!subscription) return { webhookSubscription: null, userErrors: [userError(['id'], 'Webhook subscription does not exist')] };
    const input = (args.webhookSubscription ?? {}) as { callbackUrl?: unknown; includeFields?: string[] };
    if (input.callbackUrl !== undefined) {
      const problem = callbackUrlProblem(input.callbackUrl);
      if (problem) return { webhookSubscription: null, userErrors: [userError(['webhookSubscription', 'callbackUrl'], problem)] };
      subscription.endpoint.callbackUrl = String(input.callbackUrl);
    }
    if (input.includeFields) subscription.includeFields = [...input.includeFields];
    return { webhookSubscription: subscription, userErrors: [] };
  },
  webhookSubscriptionDelete: ({ shop }, args) => {
    const before = shop.webhookSubscriptions.length;
    shop.webhookSubscriptions = shop.webhookSubscriptions.filter((s) => s.id !== args.id);
    return before === shop.webhookSubscriptions.length
      ? { deletedWebhookSubscriptionId: null, userErrors: [userError(['id'], 'Webhook subscription does not exist')] }
      : { deletedWebhookSubscriptionId: args.id, userErrors: [] };
  },
  bulkOperationRunQuery: (ctx, args) => {
    const running = ctx.shop.bulkOperations.filter((op) => op.status === 'CREATED' || op.status === 'RUNNING');
    // One at a time before 2026-01, five since.
    const limit = ctx.apiVersion < '2026-01' ? 1 : 5;
    if (running.length >= limit) {
      return {
        bulkOperation: null,
        userErrors: [userError(null, 'A bulk query operation for this app and shop is already in progress')],
      };
    }
    const groupObjects = typeof args.groupObjects === 'boolean' ? args.groupObjects : defaultGroupObjects(ctx.apiVersion);
    try {
      const operation = createBulkOperation(ctx.state, ctx.shop, String(args.query ?? ''), groupObjects, ctx.now);
      return { bulkOperation: bulkOperationObject(operation, ctx.origin), userErrors: [] };
    } catch (error) {
      if (error instanceof BulkQueryError || error instanceof GraphqlSyntaxError) {
        return { bulkOperation: null, userErrors: [userError(['query'], error.message)] };
      }
      throw error;
    }
  },
};

/**
 * Answers one Admin GraphQL request. Like Shopify, problems with the document come back as
 * `errors` with status 200, and business rule failures as `userErrors` inside `data`.
 */
export function answerGraphql(
  ctx: GraphqlContext,
  body: { query?: unknown; variables?: unknown },
): { data?: Record<string, unknown>; errors?: Array<{ message: string; path?: string[] }> } {
  let operation;
  try {
    operation = parseOperation(String(body.query ?? ''), (body.variables ?? {}) as Record<string, unknown>);
  } catch (error) {
    return { errors: [{ message: (error as Error).message }] };
  }
  ctx.state.calls.push({
    shop: ctx.shop.domain,
    apiVersion: ctx.apiVersion,
    kind: operation.kind,
    fields: operation.fields.map((f) => f.name),
  });
  const root = operation.kind === 'mutation' ? mutationRoot : queryRoot;
  const data: Record<string, unknown> = {};
  const errors: Array<{ message: string; path?: string[] }> = [];
  for (const field of operation.fields as FieldNode[]) {
    const key = field.alias ?? field.name;
    const resolve = root[field.name];
    if (!resolve) {
      errors.push({ message: `Field '${field.name}' doesn't exist on type '${operation.kind === 'mutation' ? 'Mutation' : 'QueryRoot'}'`, path: [key] });
      continue;
    }
    try {
      data[key] = project(resolve(ctx, field.args), field.selections, [field.name]);
    } catch (error) {
      if (error instanceof FieldError || error instanceof UnknownFieldError) {
        errors.push({ message: error.message, path: [key] });
        data[key] = null;
      } else {
        throw error;
      }
    }
  }
  return errors.length ? { data, errors } : { data };
}
