import { runMigrations } from '@steward/server';
import type { Command } from 'commander';
import { withDatabase } from '../cli-context.ts';

/** `steward migrate`. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      await withDatabase(
        async (database, _config, logger) => {
          const { applied } = await runMigrations({ url: database.pools.ownerUrl, logger });
          process.stdout.write(
            applied.length === 0
              ? 'ok, the database is up to date\n'
              : `ok, applied ${applied.length} migration(s): ${applied.join(', ')}\n`,
          );
        },
        { migrate: false },
      );
    });
}
