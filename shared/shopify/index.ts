export { shopifyApiParams } from './api-params';
export { routeAdminApiTo } from './route-admin-api';
export { sessionFromRow, sessionToRow } from './session-row';
export { appProxySignature, signProxyQuery, type ProxyParams } from './app-proxy-signature';
