import type { Command } from 'commander';
import { withDatabase } from '../cli-context.ts';

/** `steward migrate`. */
export function defineMigrateCommand(migrate: Command): void {
  migrate.action(async () => {
    await withDatabase(
      async (database, _config, logger, { runMigrations }) => {
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
