import { createTokenSchema, parseDurationDays, roles } from '@steward/contracts';
import type { Command } from 'commander';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { parseOrFail } from '../input.ts';

/** `steward tokens create`. */
export function defineTokensCommands(tokens: Command): void {
  tokens
    .command('create')
    .description('create an API token acting as a user (printed once; only its hash is stored)')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .option(
      '--role <role>',
      `one of ${roles.join(', ')}; at most the user's role (default: the user's)`,
    )
    .option('--expires <duration>', 'lifetime such as 90d, 12h or 30m', '90d')
    .option('--json', 'print the token and its secret as JSON')
    .action(
      async (options: {
        email: string;
        name: string;
        role?: string;
        expires: string;
        json?: boolean;
      }) => {
        const days = parseDurationDays(options.expires);
        if (days === null)
          throw new CliError(
            `--expires: "${options.expires}" is not a duration like 90d, 12h or 30m`,
            2,
          );
        const input = parseOrFail(
          createTokenSchema,
          { name: options.name, role: options.role, expiresInDays: days },
          { expiresInDays: '--expires' },
        );
        await withDatabase(async (database, config) => {
          const server = await loadServer();
          const {
            createAuditWriter,
            createToken,
            createUnitOfWork,
            findUserByEmail,
            loadOrCreateSigner,
            withOrg,
          } = server;
          const account = await findUserByEmail(
            database.pools.app,
            options.email.trim().toLowerCase(),
          );
          if (!account) throw new CliError(`--email: no user with email ${options.email}`, 2);
          if (account.status !== 'active')
            throw new CliError(`--email: ${options.email} is disabled`, 2);
          const role = await withOrg(
            database.pools.app,
            account.org_id,
            async (tx) =>
              (
                await tx
                  .selectFrom('users')
                  .select('role')
                  .where('id', '=', account.id)
                  .executeTakeFirstOrThrow()
              ).role,
          );
          const auditWriter = createAuditWriter(await loadOrCreateSigner(config.dataDir));
          const uow = createUnitOfWork({
            db: database.pools.app,
            auditWriter,
            orgId: account.org_id,
            actor: cliActor(),
          });
          const created = await createToken(
            uow,
            { userId: account.id, role: role as (typeof roles)[number] },
            input,
          );
          if (options.json) {
            process.stdout.write(`${JSON.stringify(created)}\n`);
          } else {
            process.stdout.write(
              `${created.secret}\n` +
                `(token "${created.token.name}", role ${created.token.role}, expires ${created.token.expiresAt}; shown once, store it now)\n`,
            );
          }
        });
      },
    );
}
