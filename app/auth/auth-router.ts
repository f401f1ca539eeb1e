import express, { type Router } from 'express';
import { AUTH_CALLBACK_PATH, AUTH_PATH } from '../shopify/app';
import { afterInstall, type AfterInstallDeps } from './after-install';

/**
 * GET /auth starts OAuth (state cookie, redirect to the shop's authorize page); GET
 * /auth/callback lets the library verify the HMAC and state, exchange the code, store the
 * offline session and register webhooks, then records the install and sends the merchant
 * into the app inside the Shopify admin.
 */
export function authRouter(deps: AfterInstallDeps): Router {
  const router = express.Router();
  router.get(AUTH_PATH, deps.shopify.auth.begin());
  router.get(AUTH_CALLBACK_PATH, deps.shopify.auth.callback(), afterInstall(deps), deps.shopify.redirectToShopifyOrAppRoot());
  return router;
}
