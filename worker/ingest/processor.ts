import { UnrecoverableError, type Queue } from 'bullmq';
import type { z } from 'zod';
import { InvalidInputError } from '../../shared/errors';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { ingestJob, type IngestJob } from '../../shared/queue';
import { markProductDeleted, markShopUninstalled, upsertOrder, upsertProduct } from '../store';
import type { Redis } from '../../shared/redis';
import {
  customersDataRequestPayload,
  customersRedactPayload,
  handleCustomersDataRequest,
  handleCustomersRedact,
  handleShopRedact,
  shopRedactPayload,
} from './compliance';
import { orderRecord, productRecord, refundRecord } from './map';
import { orderPayload, productDeletePayload, productPayload, refundPayload } from './payloads';
import { applyRefund } from '../store';

export interface IngestDeps {
  db: Db;
  logger: Logger;
  /** Key of the customer pseudonyms (CUSTOMER_ID_KEY). */
  customerIdKey: string;
  /** Called after app/uninstalled marked the shop inactive: stop its scheduled work. */
  onShopUninstalled?: (shop: string) => Promise<void>;
  /** Called after an orders/create delivery stored a new order: counts toward the next training. */
  onOrderCreated?: (shop: string) => Promise<void>;
  /**
   * Re-attributes an order (worker/attribution) after every order or refund delivery for it,
   * stale ones included: a retry after a failed attribution must still attribute.
   */
  attributeOrder?: (shop: string, orderId: string) => Promise<unknown>;
  /**
   * Where the compliance topics also erase (worker/privacy): Redis keys under `prefix` and kept
   * jobs of `queues`. Without them only the database is redacted.
   */
  privacy?: { redis: Redis; prefix: string; queues?: readonly Queue[] };
}

export interface IngestResult {
  topic: string;
  outcome: 'applied' | 'stale' | 'ignored' | 'recorded';
}

/** Fails the job for good: retrying a malformed payload can only fail the same way. */
function malformed(what: string, details: string[]): never {
  throw new UnrecoverableError(`malformed ${what}: ${details.join('; ')}`);
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    malformed(
      what,
      result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/**
 * Turns one verified delivery into store writes. Every write is idempotent and keeps the
 * newest version, so retries, duplicates and any delivery order end in the same state.
 */
export function createIngestProcessor(deps: IngestDeps): (data: unknown, log?: Logger) => Promise<IngestResult> {
  const { db } = deps;
  const complianceDeps = { db, customerIdKey: deps.customerIdKey, ...deps.privacy };
  // `log`: the job's logger (queue, jobId, shop bound); deps.logger outside a queue (CLI import).
  return async (data, log = deps.logger) => {
    const job: IngestJob = parse(ingestJob, data, 'ingest job');
    let body: unknown;
    try {
      body = JSON.parse(job.body);
    } catch {
      malformed(`${job.topic} payload`, ['body is not JSON']);
    }
    const when = new Date(job.triggeredAt ?? job.receivedAt);
    try {
      switch (job.topic) {
        case 'products/create':
        case 'products/update': {
          const record = productRecord(job.shop, parse(productPayload, body, `${job.topic} payload`));
          return { topic: job.topic, outcome: await upsertProduct(db, record) };
        }
        case 'products/delete': {
          const { id } = parse(productDeletePayload, body, `${job.topic} payload`);
          await markProductDeleted(db, { shop: job.shop, id, deletedAt: when });
          return { topic: job.topic, outcome: 'applied' };
        }
        case 'orders/create':
        case 'orders/paid':
        case 'orders/updated':
        case 'orders/cancelled': {
          const record = orderRecord(job.shop, parse(orderPayload, body, `${job.topic} payload`), deps.customerIdKey);
          const outcome = await upsertOrder(db, record);
          await deps.attributeOrder?.(job.shop, record.id);
          // A retried delivery finds its order stored ('stale') and is not counted twice.
          if (job.topic === 'orders/create' && outcome === 'applied') await deps.onOrderCreated?.(job.shop);
          return { topic: job.topic, outcome };
        }
        case 'refunds/create': {
          const payload = parse(refundPayload, body, `${job.topic} payload`);
          const order = await db
            .selectFrom('orders')
            .select('currency')
            .where('shop', '=', job.shop)
            .where('id', '=', payload.order_id)
            .executeTakeFirst();
          await applyRefund(db, refundRecord(job.shop, payload, order?.currency));
          await deps.attributeOrder?.(job.shop, payload.order_id);
          return { topic: job.topic, outcome: 'applied' };
        }
        case 'app/uninstalled': {
          const changed = await markShopUninstalled(db, { shop: job.shop, at: when });
          if (changed) await deps.onShopUninstalled?.(job.shop);
          return { topic: job.topic, outcome: changed ? 'applied' : 'stale' };
        }
        case 'bulk_operations/finish':
          // The sync worker polls its operation; the notice only needs to be acknowledged.
          return { topic: job.topic, outcome: 'recorded' };
        case 'customers/redact': {
          const payload = parse(customersRedactPayload, body, `${job.topic} payload`);
          if (payload.shop_domain !== job.shop) {
            malformed(`${job.topic} payload`, [`shop_domain ${payload.shop_domain} is not ${job.shop}`]);
          }
          const redacted = await handleCustomersRedact(complianceDeps, job.shop, payload);
          log.info({ shop: job.shop, ...redacted }, 'customer redacted');
          return { topic: job.topic, outcome: 'applied' };
        }
        case 'shop/redact': {
          // Headers are not signed: erase only the shop the signed body names.
          const { shop_domain } = parse(shopRedactPayload, body, `${job.topic} payload`);
          if (shop_domain !== job.shop) malformed(`${job.topic} payload`, [`shop_domain ${shop_domain} is not ${job.shop}`]);
          const erased = await handleShopRedact(complianceDeps, job.shop);
          log.info({ shop: job.shop, ...erased }, 'shop redacted');
          return { topic: job.topic, outcome: 'applied' };
        }
        case 'customers/data_request': {
          const payload = parse(customersDataRequestPayload, body, `${job.topic} payload`);
          if (payload.shop_domain !== job.shop) {
            malformed(`${job.topic} payload`, [`shop_domain ${payload.shop_domain} is not ${job.shop}`]);
          }
          const dataRequestId = await handleCustomersDataRequest(complianceDeps, job.shop, payload);
          log.info({ shop: job.shop, dataRequestId }, 'customer data request exported');
          return { topic: job.topic, outcome: 'recorded' };
        }
        default:
          return { topic: job.topic, outcome: 'ignored' };
      }
    } catch (error) {
      if (error instanceof InvalidInputError) malformed(`${job.topic} payload`, [error.message]);
      throw error;
    }
  };
}
