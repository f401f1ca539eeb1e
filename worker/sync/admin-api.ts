import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import type { Config } from '../../shared/config';
// The routing half only: the worker never loads the stand-in server.
import { routeAdminApiTo } from '../../shared/dev/shopify-standin/route-admin-api';
import type { Logger } from '../../shared/logger';

const LEVELS: Record<LogSeverity, 'error' | 'warn' | 'info' | 'debug'> = {
  [LogSeverity.Error]: 'error',
  [LogSeverity.Warning]: 'warn',
  [LogSeverity.Info]: 'info',
  [LogSeverity.Debug]: 'debug',
};

/** The Shopify library as the worker needs it: Admin GraphQL clients for offline sessions. */
export function createAdminApi({ config, logger }: { config: Config; logger: Logger }) {
  if (config.shopify.adminApiOrigin) routeAdminApiTo(config.shopify.adminApiOrigin);
  const appUrl = new URL(config.shopify.appUrl);
  return shopifyApi({
    apiKey: config.shopify.apiKey,
    apiSecretKey: config.shopify.apiSecret,
    scopes: config.shopify.scopes,
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === 'http:' ? 'http' : 'https',
    apiVersion: config.shopify.apiVersion as ApiVersion,
    isEmbeddedApp: true,
    logger: {
      level: LogSeverity.Warning,
      log: async (level, message) => logger[LEVELS[level]]({ source: 'shopify-api' }, message),
    },
  });
}

export type AdminApi = ReturnType<typeof createAdminApi>;
