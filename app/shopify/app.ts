import { shopifyApp } from '@shopify/shopify-app-express';
import type { SessionStorage } from '@shopify/shopify-app-session-storage';
import type { Config } from '../../shared/config';
import type { Logger } from '../../shared/logger';
import { shopifyApiParams } from '../../shared/shopify';
import { webhookHandlers } from './webhook-subscriptions';

export const AUTH_PATH = '/auth';
export const AUTH_CALLBACK_PATH = '/auth/callback';
export const WEBHOOK_PATH = '/webhooks';

/** The Shopify library, configured once from the validated config. */
export function createShopify({
  config,
  sessionStorage,
  logger,
}: {
  config: Config;
  sessionStorage: SessionStorage;
  logger: Logger;
}) {
  const shopify = shopifyApp({
    api: shopifyApiParams({ config, logger }),
    auth: { path: AUTH_PATH, callbackPath: AUTH_CALLBACK_PATH },
    webhooks: { path: WEBHOOK_PATH },
    sessionStorage,
  });
  shopify.api.webhooks.addHandlers(webhookHandlers(`${config.shopify.appUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`));
  return shopify;
}

export type Shopify = ReturnType<typeof createShopify>;
