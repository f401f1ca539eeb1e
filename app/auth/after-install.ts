import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Queue } from 'bullmq';
import type { Session } from '@shopify/shopify-api';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { jobId, syncJob } from '../../shared/queue';
import type { Shopify } from '../shopify/app';
import { recordInstall } from './record-install';

const SHOP_QUERY = `query ShelfwiseShop { shop { name currencyCode } }`;

export interface AfterInstallDeps {
  shopify: Shopify;
  db: Db;
  /** The `sync` queue. */
  syncQueue: Queue;
  logger: Logger;
  /** Clock for `installed_at`. Default: the system clock. */
  now?: () => Date;
}

/**
 * Runs after the library's OAuth callback stored the offline session and registered the
 * webhooks: records the shop as installed with its currency, and enqueues its first sync.
 * The job id is derived from the install time, so the same install enqueues once while a
 * reinstall gets a sync of its own.
 */
export function afterInstall({ shopify, db, syncQueue, logger, now = () => new Date() }: AfterInstallDeps): RequestHandler {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const session = (res.locals.shopify as { session: Session }).session;
    if (session.isOnline) {
      next();
      return;
    }
    const client = new shopify.api.clients.Graphql({ session });
    const { data } = await client.request<{ shop: { name: string; currencyCode: string } }>(SHOP_QUERY);
    const { installedAt, reinstalled } = await recordInstall(db, {
      shop: session.shop,
      scope: session.scope ?? null,
      currency: data?.shop.currencyCode ?? null,
      at: now(),
    });
    const job = syncJob.parse({ shop: session.shop, reason: 'install' });
    await syncQueue.add('sync', job, { jobId: jobId('sync', session.shop, 'install', String(installedAt.getTime())) });
    logger.info({ shop: session.shop, reinstalled, currency: data?.shop.currencyCode }, 'shop installed; sync enqueued');
    next();
  };
}
