import { shopifyApi } from '@shopify/shopify-api';
import type { Config } from '../../shared/config';
import type { Logger } from '../../shared/logger';
import { shopifyApiParams } from '../../shared/shopify';

/** The Shopify library as the worker needs it: Admin GraphQL clients for offline sessions. */
export function createAdminApi({ config, logger }: { config: Config; logger: Logger }) {
  return shopifyApi(shopifyApiParams({ config, logger }));
}

export type AdminApi = ReturnType<typeof createAdminApi>;
