import { setupSchema } from '@steward/contracts';
import type { Command } from 'commander';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { parseOrFail, readSecretFile } from '../input.ts';

/** `steward setup`: headless first run. */
export function defineSetupCommand(setup: Command): void {
  setup
    .requiredOption('--org <name>', 'organisation name')
    .requiredOption('--email <email>', "owner's email")
    .requiredOption('--password-file <file>', "file holding the owner's password")
    .option('--name <name>', "owner's name (defaults to the email)")
    .action(
      async (options: { org: string; email: string; passwordFile: string; name?: string }) => {
        const password = await readSecretFile(options.passwordFile, '--password-file');
        const input = parseOrFail(
          setupSchema,
          {
            orgName: options.org,
            name: options.name ?? options.email,
            email: options.email,
            password,
          },
          { orgName: '--org', password: '--password-file' },
        );
        await withDatabase(async (database, config) => {
          const server = await loadServer();
          const { createAuditWriter, loadOrCreateSigner, seedNewOrgProgram, setUp } = server;
          const auditWriter = createAuditWriter(await loadOrCreateSigner(config.dataDir));
          const deps = {
            db: database.pools.app,
            auditWriter,
            session: config.session,
            onOrgCreated: seedNewOrgProgram,
          };
          const result = await setUp(deps, cliActor(), input, { openSession: false }).catch(
            (error: unknown) => {
              if ((error as { code?: string }).code === 'setup.already_done') {
                throw new CliError('Steward is already set up; setup runs only once');
              }
              throw error;
            },
          );
          process.stdout.write(
            `ok, created organisation ${result.me.org.name} (${result.me.org.id}) with owner ${result.me.user.email}\n`,
          );
        });
      },
    );
}
