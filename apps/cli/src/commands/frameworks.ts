import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { resolveOrgId } from '../orgs.ts';

async function readOscalFile(
  path: string,
  what: string,
): Promise<{ fileName: string; text: string }> {
  try {
    return { fileName: path, text: await readFile(path, 'utf8') };
  } catch (error) {
    throw new CliError(`${what}: cannot read ${path}: ${(error as Error).message}`, 2);
  }
}

function parseThreshold(value: string | undefined): number {
  if (value === undefined) return 0;
  const threshold = Number(value);
  if (value.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new CliError(`--auto-map: "${value}" is not a number from 0 to 1`, 2);
  }
  return threshold;
}

/** `steward frameworks import-oscal` and `steward frameworks list`. */
export function defineFrameworksCommands(frameworks: Command): void {
  frameworks
    .command('import-oscal')
    .description('import an OSCAL catalog (JSON, 1.0 or 1.1) as a framework, in one transaction')
    .argument('<catalog>', 'the OSCAL catalog file (JSON)')
    .option('--profile <file>', 'an OSCAL profile (JSON) selecting the controls to keep')
    .option(
      '--auto-map <threshold>',
      'map each requirement to controls at least this similar (0 to 1; default: do not map)',
    )
    .option('--org <id>', 'organisation id (needed only when there are several)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        catalogPath: string,
        options: { profile?: string; autoMap?: string; org?: string; json?: boolean },
      ) => {
        const autoMapThreshold = parseThreshold(options.autoMap);
        const catalog = await readOscalFile(catalogPath, 'CATALOG');
        const profile =
          options.profile === undefined
            ? undefined
            : await readOscalFile(options.profile, '--profile');
        await withDatabase(async (database, config) => {
          const server = await loadServer();
          const { createAuditWriter, createUnitOfWork, importOscalCatalog, loadOrCreateSigner } =
            server;
          const orgId = await resolveOrgId(database.pools.owner, options.org);
          const uow = createUnitOfWork({
            db: database.pools.app,
            auditWriter: createAuditWriter(await loadOrCreateSigner(config.dataDir)),
            orgId,
            actor: cliActor(),
          });
          const result = await importOscalCatalog(uow, { catalog, profile, autoMapThreshold });
          if (options.json) {
            process.stdout.write(`${JSON.stringify(result)}\n`);
            return;
          }
          const mapped =
            autoMapThreshold > 0
              ? `, ${String(result.mappedRequirementCount)} mapped to controls`
              : '';
          process.stdout.write(
            `ok, imported "${result.framework.name}" as ${result.framework.key}: ` +
              `${String(result.requirementCount)} requirements${mapped} in ${String(result.durationMs)} ms\n`,
          );
        });
      },
    );
  frameworks
    .command('list')
    .description("list the organisation's frameworks with their readiness")
    .option('--org <id>', 'organisation id (needed only when there are several)')
    .option('--json', 'print the frameworks as JSON')
    .action(async (options: { org?: string; json?: boolean }) => {
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const { createAuditWriter, createUnitOfWork, listFrameworks, loadOrCreateSigner } = server;
        const orgId = await resolveOrgId(database.pools.owner, options.org);
        const uow = createUnitOfWork({
          db: database.pools.app,
          auditWriter: createAuditWriter(await loadOrCreateSigner(config.dataDir)),
          orgId,
          actor: cliActor(),
        });
        const items = await listFrameworks(uow);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ items })}\n`);
          return;
        }
        if (items.length === 0) {
          process.stdout.write('no frameworks\n');
          return;
        }
        for (const f of items) {
          process.stdout.write(
            `${f.id}  ${f.key}  ${f.name}  ${String(f.requirementCount)} requirements, ` +
              `${String(f.mappedRequirementCount)} mapped, ${String(f.readiness.percent)}% ready\n`,
          );
        }
      });
    });
}
