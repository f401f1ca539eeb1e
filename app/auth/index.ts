export { DbSessionStorage } from './session-storage';
export { verifyTokenKey } from './token-key-check';
export { authRouter } from './auth-router';
export { afterInstall, type AfterInstallDeps } from './after-install';
export { recordInstall } from './record-install';
