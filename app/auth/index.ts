export { DbSessionStorage } from './session-storage';
export { authRouter } from './auth-router';
export { afterInstall, type AfterInstallDeps } from './after-install';
export { recordInstall } from './record-install';
