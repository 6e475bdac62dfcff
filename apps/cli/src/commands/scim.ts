import { createScimTokenSchema, type ScimToken } from '@steward/contracts';
import type * as Server from '@steward/server';
import type { Config, OpenDatabase } from '@steward/server';
import type { Command } from 'commander';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { parseOrFail } from '../input.ts';
import { resolveOrgId } from '../orgs.ts';

async function orgUnitOfWork(
  server: typeof Server,
  database: OpenDatabase,
  config: Readonly<Config>,
  org?: string,
) {
  const { createAuditWriter, createUnitOfWork, loadOrCreateSigner } = server;
  const orgId = await resolveOrgId(database.pools.owner, org);
  const actor = cliActor();
  return {
    actor,
    uow: createUnitOfWork({
      db: database.pools.app,
      auditWriter: createAuditWriter(await loadOrCreateSigner(config.dataDir)),
      orgId,
      actor,
    }),
  };
}

function describeToken(token: ScimToken): string {
  const state = token.revokedAt
    ? `revoked ${token.revokedAt}`
    : `last used ${token.lastUsedAt ?? 'never'}`;
  return `${token.id}  ${token.prefix}…  ${token.name}  created ${token.createdAt} by ${token.createdBy}, ${state}`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `steward scim tokens create|list|revoke`: bearer tokens of identity provider connections. */
export function defineScimCommands(scim: Command): void {
  const tokens = scim
    .command('tokens')
    .description('bearer tokens of identity provider connections (one per connection)');
  tokens
    .command('create')
    .description(
      'create a SCIM token for an identity provider connection (printed once; only its hash is stored)',
    )
    .requiredOption('--name <name>', 'the identity provider connection, e.g. "Okta production"')
    .option('--org <id>', 'organisation id (needed only when there are several)')
    .option('--json', 'print the token and its secret as JSON')
    .action(async (options: { name: string; org?: string; json?: boolean }) => {
      const input = parseOrFail(createScimTokenSchema, { name: options.name });
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const { uow, actor } = await orgUnitOfWork(server, database, config, options.org);
        const created = await server.createScimToken(
          uow,
          { label: actor.label ?? 'cli', userId: null },
          input,
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(created)}\n`);
          return;
        }
        process.stdout.write(
          `${created.secret}\n` +
            `(SCIM token for "${created.token.name}"; base URL ${config.publicUrl.href.replace(/\/+$/, '')}/scim/v2; shown once, store it now)\n`,
        );
      });
    });
  tokens
    .command('list')
    .description("list the organisation's SCIM tokens (never their secrets)")
    .option('--org <id>', 'organisation id (needed only when there are several)')
    .option('--json', 'print the tokens as JSON')
    .action(async (options: { org?: string; json?: boolean }) => {
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const { uow } = await orgUnitOfWork(server, database, config, options.org);
        const items = await server.listScimTokens(uow);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ items })}\n`);
          return;
        }
        process.stdout.write(
          items.length === 0 ? 'no SCIM tokens\n' : `${items.map(describeToken).join('\n')}\n`,
        );
      });
    });
  tokens
    .command('revoke')
    .description('revoke a SCIM token: its identity provider is refused from then on')
    .argument('<id>', 'the token id (from steward scim tokens list)')
    .option('--org <id>', 'organisation id (needed only when there are several)')
    .action(async (id: string, options: { org?: string }) => {
      if (!uuidPattern.test(id)) throw new CliError(`ID: "${id}" is not a token id`, 2);
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const { uow } = await orgUnitOfWork(server, database, config, options.org);
        const token = await server.revokeScimToken(uow, id);
        process.stdout.write(`revoked ${describeToken(token)}\n`);
      });
    });
}
