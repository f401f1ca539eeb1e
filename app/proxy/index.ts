/** The app proxy (`/apps/shelfwise/…`): Shopify-signed storefront requests. */
export { verifyProxyQuery, PROXY_MAX_SKEW_SECONDS, type ProxyVerification } from './verify';
export { createProxyListener, EVENTS_BODY_LIMIT_BYTES, type ProxyListener } from './listener';
export { PROXY_PATH, type ProxyDeps, type ProxyRequestContext } from './context';
