import { randomBytes } from 'node:crypto';
import { gid, type CollectionRecord, type OrderNode, type ProductNode } from './graph';

export interface WebhookSubscription {
  __typename: 'WebhookSubscription';
  id: string;
  /** The GraphQL enum value, e.g. `PRODUCTS_CREATE`. */
  topic: string;
  includeFields: string[];
  metafieldNamespaces: string[];
  format: 'JSON';
  endpoint: { __typename: 'WebhookHttpEndpoint'; callbackUrl: string };
  createdAt: string;
}

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'EXPIRED';

export interface BulkOperationRecord {
  id: string;
  shop: string;
  query: string;
  status: BulkStatus;
  /** How many times a client has looked at it; drives CREATED → RUNNING → COMPLETED. */
  observations: number;
  createdAt: string;
  completedAt: string | null;
  /** The JSONL snapshot, taken when the operation was created. */
  lines: string[];
  rootObjectCount: number;
}

export interface StandinShop {
  domain: string;
  /** Numeric shop id, as webhook payloads carry it. */
  id: number;
  name: string;
  currencyCode: string;
  products: ProductNode[];
  orders: OrderNode[];
  /** Collections with their member products; edit `productIds` to move products in or out. */
  collections: CollectionRecord[];
  webhookSubscriptions: WebhookSubscription[];
  bulkOperations: BulkOperationRecord[];
}

export interface RecordedCall {
  shop: string;
  apiVersion: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** Root fields asked for, e.g. ['bulkOperationRunQuery']. */
  fields: string[];
}

export interface RecordedDelivery {
  shop: string;
  topic: string;
  url: string;
  webhookId: string;
  status: number | null;
  error?: string;
}

/** Faults a test can arm; each fires once and then clears itself. */
export interface StandinFaults {
  /** Close the next JSONL download's connection after this many lines. */
  cutNextDownloadAfterLines?: number;
}

/** Everything the stand-in knows, mutable by tests and the demo while it runs. */
export class StandinState {
  readonly shops = new Map<string, StandinShop>();
  readonly accessTokens = new Map<string, { shop: string; scope: string }>();
  readonly authorizationCodes = new Map<string, { shop: string; scope: string }>();
  readonly calls: RecordedCall[] = [];
  readonly deliveries: RecordedDelivery[] = [];
  readonly faults: StandinFaults = {};
  private sequence = 1;

  nextId(): number {
    return this.sequence++;
  }

  /** Adds (or returns) a shop; `products`/`orders`/`collections` are built with catalog.ts. */
  addShop(
    domain: string,
    init: Partial<Pick<StandinShop, 'name' | 'currencyCode' | 'products' | 'orders' | 'collections'>> = {},
  ): StandinShop {
    const existing = this.shops.get(domain);
    if (existing) return existing;
    const shop: StandinShop = {
      domain,
      id: 60_000_000 + this.nextId(),
      name: init.name ?? domain.replace('.myshopify.com', ''),
      currencyCode: init.currencyCode ?? 'GBP',
      products: init.products ?? [],
      orders: init.orders ?? [],
      collections: init.collections ?? [],
      webhookSubscriptions: [],
      bulkOperations: [],
    };
    this.shops.set(domain, shop);
    return shop;
  }

  shop(domain: string): StandinShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`the stand-in has no shop ${domain}`);
    return shop;
  }

  issueCode(shop: string, scope: string): string {
    const code = randomBytes(16).toString('hex');
    this.authorizationCodes.set(code, { shop, scope });
    return code;
  }

  /** Exchanges a one-time code for an offline token, as /admin/oauth/access_token does. */
  redeemCode(code: string): { accessToken: string; scope: string; shop: string } | undefined {
    const grant = this.authorizationCodes.get(code);
    if (!grant) return undefined;
    this.authorizationCodes.delete(code);
    const accessToken = `shpat_${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(accessToken, grant);
    return { accessToken, ...grant };
  }

  /** Uninstalling revokes the app's tokens and its API-created subscriptions. */
  revokeApp(shop: string): void {
    for (const [token, grant] of this.accessTokens) if (grant.shop === shop) this.accessTokens.delete(token);
    this.shop(shop).webhookSubscriptions = [];
  }

  bulkOperationGid(n: number): string {
    return gid('BulkOperation', n);
  }

  findBulkOperation(id: string): BulkOperationRecord | undefined {
    for (const shop of this.shops.values()) {
      const found = shop.bulkOperations.find((op) => op.id === id);
      if (found) return found;
    }
    return undefined;
  }

  callsTo(field: string, shop?: string): RecordedCall[] {
    return this.calls.filter((c) => c.fields.includes(field) && (!shop || c.shop === shop));
  }
}
