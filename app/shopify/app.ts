import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity } from '@shopify/shopify-api';
import { shopifyApp } from '@shopify/shopify-app-express';
import type { SessionStorage } from '@shopify/shopify-app-session-storage';
import type { Config } from '../../shared/config';
// The routing half only: production processes never load the stand-in server.
import { routeAdminApiTo } from '../../shared/dev/shopify-standin/route-admin-api';
import type { Logger } from '../../shared/logger';
import { webhookHandlers } from './webhook-subscriptions';

export const AUTH_PATH = '/auth';
export const AUTH_CALLBACK_PATH = '/auth/callback';
export const WEBHOOK_PATH = '/webhooks';

const severity: Record<LogSeverity, 'error' | 'warn' | 'info' | 'debug'> = {
  [LogSeverity.Error]: 'error',
  [LogSeverity.Warning]: 'warn',
  [LogSeverity.Info]: 'info',
  [LogSeverity.Debug]: 'debug',
};

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
  const appUrl = new URL(config.shopify.appUrl);
  // Development and tests: Admin API calls go to the local stand-in instead of https://{shop}.
  if (config.shopify.adminApiOrigin) routeAdminApiTo(config.shopify.adminApiOrigin);
  const shopify = shopifyApp({
    api: {
      apiKey: config.shopify.apiKey,
      apiSecretKey: config.shopify.apiSecret,
      scopes: config.shopify.scopes,
      hostName: appUrl.host,
      hostScheme: appUrl.protocol === 'http:' ? 'http' : 'https',
      apiVersion: config.shopify.apiVersion as ApiVersion,
      isEmbeddedApp: true,
      logger: {
        level: LogSeverity.Warning,
        log: async (level, message) => logger[severity[level]]({ source: 'shopify-api' }, message),
      },
    },
    auth: { path: AUTH_PATH, callbackPath: AUTH_CALLBACK_PATH },
    webhooks: { path: WEBHOOK_PATH },
    sessionStorage,
  });
  shopify.api.webhooks.addHandlers(webhookHandlers(`${config.shopify.appUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`));
  return shopify;
}

export type Shopify = ReturnType<typeof createShopify>;
