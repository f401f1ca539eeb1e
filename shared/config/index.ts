export { loadConfig, type Config } from './config';
export { envSchema, type Env } from './schema';
