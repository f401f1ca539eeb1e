export { openDatabase, migrateToLatest, type Db, type DatabaseTarget } from './database';
export type * from './schema';
