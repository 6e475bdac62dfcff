// Syncing a system's accounts: read a snapshot from its source (PostgreSQL connector, the SCIM
// directory, a pushed snapshot, a CSV file), then apply it in one audited transaction. A sync
// that fails records a failed sync in a transaction of its own and changes no account.
import type {
  AccountsImportResult,
  ConnectorKind,
  SnapshotAccount,
  SyncCounts,
  SystemSync,
} from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Actor } from '../../platform/audit/audit-writer.ts';
import {
  createUnitOfWork,
  type UnitOfWork,
  type WriteScope,
} from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError, isAppError } from '../../platform/errors/app-error.ts';
import { normaliseSnapshot, planSync, type NormalAccount, type SyncPlan } from './account-sync.ts';
import { parseAccountsCsv } from './accounts-csv.ts';
import { readPostgresAccounts, type PostgresSettings } from './postgres-connector.ts';
import { recordSystemsChecks } from './systems-checks.service.ts';
import type { SystemsDeps } from './systems-deps.ts';
import * as repo from './systems.repo.ts';

/** What started a sync. */
export type SyncTrigger = 'manual' | 'schedule' | 'api';

/** The sealed-secret purpose of a system's connector password. */
export function connectorPurpose(systemId: string): string {
  return `system-connector:${systemId}`;
}

/** A sync as the API shows it. */
export function toSync(row: repo.SyncRow): SystemSync {
  return {
    id: row.id,
    systemId: row.system_id,
    source: row.source as ConnectorKind,
    trigger: row.trigger as SystemSync['trigger'],
    actorLabel: row.actor_label,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    status: row.status as SystemSync['status'],
    counts: row.counts,
    error: row.error,
  };
}

function notFound(): AppError {
  return new AppError('system.not_found');
}

function nextSyncAt(system: repo.SystemRow, now: Date): Date | null {
  return system.sync_interval_hours === null
    ? null
    : new Date(now.getTime() + system.sync_interval_hours * 3_600_000);
}

/** The PostgreSQL settings of a system with its password opened. */
export async function openPostgresSettings(
  deps: Pick<SystemsDeps, 'secrets'>,
  system: repo.SystemRow,
): Promise<PostgresSettings> {
  const s = system.connector_settings;
  if (
    typeof s.host !== 'string' ||
    typeof s.database !== 'string' ||
    typeof s.user !== 'string' ||
    system.connector_secret_sealed === null
  ) {
    throw new AppError(
      'system.connector_invalid',
      'The PostgreSQL connector needs a host, database, user and password',
      [{ path: 'postgres', message: 'Enter the connection settings and the password' }],
    );
  }
  return {
    host: s.host,
    port: typeof s.port === 'number' ? s.port : 5432,
    database: s.database,
    user: s.user,
    sslmode: (typeof s.sslmode === 'string' ? s.sslmode : 'prefer') as PostgresSettings['sslmode'],
    password: await deps.secrets.openSecret(
      connectorPurpose(system.id),
      system.connector_secret_sealed,
    ),
  };
}

/** The SCIM directory as a snapshot: each provisioned person an account, their groups entitlements. */
async function readScimAccounts(tx: Tx): Promise<SnapshotAccount[]> {
  const people = await tx
    .selectFrom('people')
    .select(['id', 'scim_user_name', 'email', 'display_name', 'status'])
    .where('source', '=', 'scim')
    .where('scim_removed_at', 'is', null)
    .execute();
  const groups = await tx
    .selectFrom('scim_group_members as m')
    .innerJoin('scim_groups as g', 'g.id', 'm.group_id')
    .select(['m.person_id', 'g.display_name'])
    .execute();
  const byPerson = new Map<string, string[]>();
  for (const g of groups) {
    const list = byPerson.get(g.person_id) ?? [];
    list.push(g.display_name);
    byPerson.set(g.person_id, list);
  }
  return people.map((p) => ({
    externalId: p.id,
    username: p.scim_user_name,
    email: p.email,
    displayName: p.display_name,
    status: p.status === 'departed' ? 'disabled' : 'active',
    privileged: false,
    mfaEnabled: null,
    lastSignInAt: null,
    validUntil: null,
    entitlements: (byPerson.get(p.id) ?? []).map((name) => ({
      kind: 'group' as const,
      name,
      privileged: /admin/i.test(name),
    })),
  }));
}

interface ApplyInput {
  system: repo.SystemRow;
  source: ConnectorKind;
  trigger: SyncTrigger;
  accounts: NormalAccount[];
  startedAt: Date;
  /** Recorded with the audit event, e.g. the uploaded file. */
  details?: Record<string, unknown>;
}

/** What a sync applied. */
export interface AppliedSync {
  sync: repo.SyncRow;
  plan: SyncPlan;
}

/**
 * Apply a normalised snapshot in the caller's transaction: plan against the stored accounts,
 * write the changes, link new accounts to people, record the sync, let listeners act, record the
 * annex checks, and audit it.
 */
export async function applySnapshot(
  deps: Pick<SystemsDeps, 'onAccountsSynced'>,
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  actor: Actor,
  input: ApplyInput,
): Promise<AppliedSync> {
  const { tx } = scope;
  const now = new Date();
  const system = await repo.lockSystem(tx, input.system.id);
  if (!system) throw notFound();
  if (system.retired_at !== null) throw new AppError('system.retired');
  const stored = await repo.loadStoredAccounts(tx, system.id);
  const plan = planSync(stored, input.accounts);
  const syncId = randomUUID();
  // The sync row goes first: changes reference it.
  const counts: SyncCounts = { ...plan.counts };
  const sync = await repo.insertSync(tx, {
    id: syncId,
    org_id: orgId,
    system_id: system.id,
    source: input.source,
    trigger: input.trigger,
    actor_label: actor.label,
    started_at: input.startedAt,
    finished_at: now,
    status: 'succeeded',
    counts,
    error: null,
  });
  const withIds = plan.changes.map((c) => ({ ...c, accountId: c.accountId ?? randomUUID() }));
  await repo.applySyncPlan(tx, { orgId, systemId: system.id, syncId, now }, withIds);
  const links = await repo.linkAccountsToPeople(tx, system.id);
  if (links.length > 0) {
    counts.linked = links.length;
    await repo.insertChanges(
      tx,
      { orgId, systemId: system.id, syncId, now },
      links.map((l) => ({
        account_id: l.account_id,
        kind: 'linked',
        changes: { personId: l.person_id, method: l.link_method },
      })),
    );
    await tx
      .updateTable('system_syncs')
      .set({ counts: JSON.stringify(counts) })
      .where('id', '=', syncId)
      .execute();
  }
  await repo.updateSystem(tx, system.id, {
    last_sync_at: now,
    last_sync_status: 'succeeded',
    next_sync_at: nextSyncAt(system, now),
  });
  await deps.onAccountsSynced?.(scope, { orgId, systemId: system.id, syncId });
  await recordSystemsChecks(scope, orgId, now);
  await scope.audit({
    action: 'system.synced',
    targetType: 'system',
    targetId: system.id,
    changes: { syncId, source: input.source, trigger: input.trigger, ...counts, ...input.details },
  });
  return { sync: { ...sync, counts }, plan };
}

/** Record a failed sync in its own transaction, so the failure stays in the history. */
async function recordFailedSync(
  deps: Pick<SystemsDeps, 'db' | 'auditWriter'>,
  uow: UnitOfWork,
  input: { system: repo.SystemRow; source: ConnectorKind; trigger: SyncTrigger; startedAt: Date },
  error: AppError,
): Promise<void> {
  const failureUow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId: uow.orgId,
    actor: uow.actor,
  });
  const now = new Date();
  await failureUow.write(async ({ tx, audit }) => {
    const sync = await repo.insertSync(tx, {
      id: randomUUID(),
      org_id: uow.orgId,
      system_id: input.system.id,
      source: input.source,
      trigger: input.trigger,
      actor_label: uow.actor.label,
      started_at: input.startedAt,
      finished_at: now,
      status: 'failed',
      counts: {},
      error: error.message.slice(0, 2000),
    });
    await repo.updateSystem(tx, input.system.id, {
      last_sync_at: now,
      last_sync_status: 'failed',
      next_sync_at: nextSyncAt(input.system, now),
    });
    await audit({
      action: 'system.sync_failed',
      targetType: 'system',
      targetId: input.system.id,
      changes: {
        syncId: sync.id,
        source: input.source,
        trigger: input.trigger,
        error: error.message,
        code: error.code,
      },
    });
  });
}

async function findLiveSystem(uow: UnitOfWork, id: string): Promise<repo.SystemRow> {
  const system = (await uow.read((tx) => repo.findSystems(tx, { id })))[0];
  if (!system) throw notFound();
  if (system.retired_at !== null) throw new AppError('system.retired');
  return system;
}

function requireSource(system: repo.SystemRow, sources: readonly ConnectorKind[]): ConnectorKind {
  const kind = system.connector_kind as ConnectorKind | null;
  if (kind === null || !sources.includes(kind)) {
    throw new AppError(
      'system.source_mismatch',
      kind === null
        ? `The system has no connector; set its connector to ${sources.join(' or ')} first`
        : `The system takes its accounts from its ${kind} connector, not from here`,
      [{ path: 'connectorKind', message: `is ${kind ?? 'not set'}` }],
    );
  }
  return kind;
}

/**
 * Sync a connected system now (PostgreSQL or SCIM): read the snapshot, then apply it. A failure
 * to read or apply is recorded as a failed sync and answered with its reason.
 */
export async function syncSystem(
  deps: SystemsDeps,
  uow: UnitOfWork,
  id: string,
  trigger: SyncTrigger,
): Promise<SystemSync> {
  const system = await findLiveSystem(uow, id);
  const source = requireSource(system, ['postgresql', 'scim']);
  const startedAt = new Date();
  try {
    const accounts =
      source === 'postgresql'
        ? (await readPostgresAccounts(await openPostgresSettings(deps, system), startedAt)).accounts
        : await uow.read(readScimAccounts);
    const normal = normaliseSnapshot(accounts);
    const applied = await uow.write((scope) =>
      applySnapshot(deps, scope, uow.orgId, uow.actor, {
        system,
        source,
        trigger,
        accounts: normal,
        startedAt,
      }),
    );
    return toSync(applied.sync);
  } catch (error) {
    const failure = isAppError(error)
      ? error
      : new AppError('internal', 'The sync failed unexpectedly; nothing was changed');
    // Missing or retired systems were never synced; anything else leaves a failed sync.
    if (failure.code !== 'system.not_found' && failure.code !== 'system.retired') {
      await recordFailedSync(deps, uow, { system, source, trigger, startedAt }, failure);
    }
    throw error;
  }
}

/** Apply a pushed full snapshot of a push system's accounts; the same snapshot changes nothing. */
export async function pushAccounts(
  deps: SystemsDeps,
  uow: UnitOfWork,
  id: string,
  accounts: SnapshotAccount[],
): Promise<SystemSync> {
  const system = await findLiveSystem(uow, id);
  requireSource(system, ['push']);
  const normal = normaliseSnapshot(accounts);
  const startedAt = new Date();
  const applied = await uow.write((scope) =>
    applySnapshot(deps, scope, uow.orgId, uow.actor, {
      system,
      source: 'push',
      trigger: 'api',
      accounts: normal,
      startedAt,
    }),
  );
  return toSync(applied.sync);
}

/** An uploaded accounts file. */
export interface AccountsCsvFile {
  path: string;
  fileName: string;
  sha256: string;
}

/**
 * Import a CSV system's accounts from a file. With `preview`, report what would change and every
 * problem (row and column) without writing; otherwise apply it in one transaction, or nothing
 * when any row has a problem.
 */
export async function importAccountsCsv(
  deps: SystemsDeps,
  uow: UnitOfWork,
  id: string,
  file: AccountsCsvFile,
  preview: boolean,
): Promise<AccountsImportResult> {
  const system = await findLiveSystem(uow, id);
  requireSource(system, ['csv']);
  const csv = parseAccountsCsv(await readFile(file.path));
  const normal = normaliseSnapshot(csv.accounts);
  const describe = (plan: SyncPlan) =>
    plan.changes.slice(0, 500).map((c) => ({ externalId: c.externalId, kind: c.kind }));
  if (preview || csv.errors.length > 0) {
    if (!preview) {
      const errors = csv.errors.map((e) => ({
        path: `rows.${String(e.row)}.${e.column}`,
        message: `Row ${String(e.row)}, ${e.column}: ${e.message}`,
      }));
      throw new AppError(
        'systems.import_invalid',
        `${String(new Set(csv.errors.map((e) => e.row)).size)} row(s) have problems; nothing was imported. ${errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
        errors.slice(0, 500),
      );
    }
    const plan = await uow.read(async (tx) =>
      planSync(await repo.loadStoredAccounts(tx, system.id), normal),
    );
    return {
      preview: true,
      applied: false,
      counts: plan.counts,
      errors: csv.errors.slice(0, 1000),
      changes: describe(plan),
      sync: null,
    };
  }
  const startedAt = new Date();
  const applied = await uow.write((scope) =>
    applySnapshot(deps, scope, uow.orgId, uow.actor, {
      system,
      source: 'csv',
      trigger: 'manual',
      accounts: normal,
      startedAt,
      details: { fileName: file.fileName, sha256: file.sha256 },
    }),
  );
  return {
    preview: false,
    applied: true,
    counts: { ...applied.plan.counts, linked: applied.sync.counts.linked ?? 0 },
    errors: [],
    changes: describe(applied.plan),
    sync: toSync(applied.sync),
  };
}
