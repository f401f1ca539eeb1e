import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { migrateToLatest, openDatabase } from '../../db';
import { databaseTarget } from '../../runtime';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const config = loadConfig();
      const db = await openDatabase(databaseTarget(config));
      try {
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.destroy();
      }
    });
}
