export { adminApiRouter, type AdminApiDeps } from './admin-router';
export { requireSessionToken, shopFromSessionToken, type AdminContext } from './session-token';
