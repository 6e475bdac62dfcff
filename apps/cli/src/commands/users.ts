import { createUserSchema, roles } from '@steward/contracts';
import type { Command } from 'commander';
import { cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { parseOrFail, readSecretFile } from '../input.ts';
import { resolveOrgId } from '../orgs.ts';

/** `steward users create`. */
export function defineUsersCommands(users: Command): void {
  users
    .command('create')
    .description('create a user with an initial password')
    .requiredOption('--email <email>', 'email (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .requiredOption('--password-file <file>', 'file holding the initial password')
    .option('--org <id>', 'organisation id (needed only when there are several)')
    .option('--json', 'print the user as JSON')
    .action(
      async (options: {
        email: string;
        name: string;
        role: string;
        passwordFile: string;
        org?: string;
        json?: boolean;
      }) => {
        const password = await readSecretFile(options.passwordFile, '--password-file');
        const input = parseOrFail(
          createUserSchema,
          { email: options.email, name: options.name, role: options.role, password },
          { password: '--password-file' },
        );
        await withDatabase(async (database, config) => {
          const server = await loadServer();
          const { createAuditWriter, createUnitOfWork, createUser, loadOrCreateSigner } = server;
          const orgId = await resolveOrgId(database.pools.owner, options.org);
          const auditWriter = createAuditWriter(await loadOrCreateSigner(config.dataDir));
          const uow = createUnitOfWork({
            db: database.pools.app,
            auditWriter,
            orgId,
            actor: cliActor(),
          });
          const user = await createUser(uow, 'owner', input);
          process.stdout.write(
            options.json
              ? `${JSON.stringify(user)}\n`
              : `ok, created ${user.email} (${user.role}), id ${user.id}\n`,
          );
        });
      },
    );
}
