import '@shopify/shopify-api/adapters/node';
import { LogSeverity, type ApiVersion, type ConfigParams } from '@shopify/shopify-api';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { routeAdminApiTo } from './route-admin-api';

const LEVELS: Record<LogSeverity, 'error' | 'warn' | 'info' | 'debug'> = {
  [LogSeverity.Error]: 'error',
  [LogSeverity.Warning]: 'warn',
  [LogSeverity.Info]: 'info',
  [LogSeverity.Debug]: 'debug',
};

/**
 * The Shopify library's settings from our validated config, one way for every role. With
 * SHOPIFY_ADMIN_API_ORIGIN set (never in production: config refuses it), Admin API calls go to
 * that origin, the local stand-in.
 */
export function shopifyApiParams({ config, logger }: { config: Config; logger: Logger }) {
  if (config.shopify.adminApiOrigin) routeAdminApiTo(config.shopify.adminApiOrigin);
  const appUrl = new URL(config.shopify.appUrl);
  return {
    apiKey: config.shopify.apiKey,
    apiSecretKey: config.shopify.apiSecret,
    scopes: config.shopify.scopes,
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === 'http:' ? 'http' : 'https',
    apiVersion: config.shopify.apiVersion as ApiVersion,
    isEmbeddedApp: true,
    logger: {
      level: LogSeverity.Warning,
      log: async (level: LogSeverity, message: string) => logger[LEVELS[level]]({ source: 'shopify-api' }, message),
    },
  } satisfies Partial<ConfigParams> & { apiVersion: ApiVersion };
}
