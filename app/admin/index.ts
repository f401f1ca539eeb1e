export { adminApiRouter, type AdminApiDeps } from './admin-router';
export { requireSessionToken, shopFromSessionToken, type AdminContext } from './session-token';
export { adminPageRouter, ADMIN_PATH, type AdminPageDeps, type AdminPageSettings } from './admin-page';
export { localSessionRouter, mintSessionToken, isLoopbackRequest, LOCAL_SESSION_PATH, LOCAL_SESSION_TOKEN_SECONDS } from './local-session';
