import { createPublicKey } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Db } from '@steward/server';
import type { Command } from 'commander';
import { CliError, loadAdmin, loadCliConfig, withDatabase } from '../cli-context.ts';

async function exportEvents(
  db: Db,
  out: NodeJS.WritableStream,
  orgId: string | undefined,
): Promise<number> {
  let count = 0;
  let after: { org: string; seq: string } | null = null;
  for (;;) {
    let q = db.selectFrom('audit_events').selectAll().orderBy('org_id').orderBy('seq').limit(5000);
    if (orgId) q = q.where('org_id', '=', orgId);
    if (after) {
      const cursor = after;
      q = q.where((eb) =>
        eb.or([
          eb('org_id', '>', cursor.org),
          eb.and([eb('org_id', '=', cursor.org), eb('seq', '>', cursor.seq)]),
        ]),
      );
    }
    const rows = await q.execute();
    for (const row of rows) {
      const line = JSON.stringify({
        ...row,
        seq: Number(row.seq),
        occurred_at: row.occurred_at.toISOString(),
      });
      if (!out.write(`${line}\n`)) await new Promise((resolve) => out.once('drain', resolve));
      count += 1;
    }
    const last = rows.at(-1);
    if (!last || rows.length < 5000) return count;
    after = { org: last.org_id, seq: last.seq };
  }
}

/** `steward audit verify | export | public-key`, under the `audit` command. */
export function defineAuditCommands(audit: Command): void {
  audit
    .command('verify')
    .description('recompute the hash chain and check the signed checkpoints')
    .option('--org <id>', 'verify one organisation only')
    .option(
      '--public-key <file>',
      'trusted public key (PEM); default: the key in the data directory',
    )
    .action(async (options: { org?: string; publicKey?: string }) => {
      await withDatabase(async (database, config, _logger, admin) => {
        const { installationLog, loadOrCreateSigner, loadPublicKey, verifyAuditLog } = admin;
        const publicKey = options.publicKey
          ? await loadPublicKey(options.publicKey).catch((error: unknown) => {
              throw new CliError(
                `--public-key: cannot read ${options.publicKey ?? ''}: ${(error as Error).message}`,
                2,
              );
            })
          : createPublicKey((await loadOrCreateSigner(config.dataDir)).publicKeyPem);
        const started = performance.now();
        const result = await verifyAuditLog(database.pools.owner, publicKey, {
          parallelUrl: database.pools.ownerUrl,
          ...(options.org ? { orgId: options.org } : {}),
        });
        const seconds = (performance.now() - started) / 1000;
        if (result.ok) {
          process.stdout.write(
            `ok, ${result.events} events in ${result.orgs} organisation(s), ${result.checkpoints} signed checkpoint(s), ${result.installationEvents} installation security event(s) (${seconds.toFixed(2)} s)\n`,
          );
          return;
        }
        const b = result.break;
        const where =
          b.orgId === installationLog
            ? 'installation security log broken'
            : `audit log broken in organisation ${b.orgId}`;
        throw new CliError(
          `${where} at event ${b.seq}${b.eventId ? ` (id ${b.eventId})` : ''}: ${b.reason}`,
        );
      });
    });
  audit
    .command('export')
    .description('write audit events as JSON lines, oldest first')
    .option('--org <id>', 'export one organisation only')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (options: { org?: string; out?: string }) => {
      await withDatabase(async (database) => {
        const out = options.out ? createWriteStream(options.out, { mode: 0o600 }) : process.stdout;
        const count = await exportEvents(database.pools.owner, out, options.org);
        if (options.out) {
          out.end();
          await finished(out);
          process.stderr.write(`ok, exported ${count} events to ${options.out}\n`);
        }
      });
    });
  audit
    .command('public-key')
    .description('print the public key that verifies audit checkpoints')
    .action(async () => {
      const { loadOrCreateSigner } = await loadAdmin();
      const signer = await loadOrCreateSigner((await loadCliConfig()).dataDir);
      process.stdout.write(signer.publicKeyPem);
    });
}
