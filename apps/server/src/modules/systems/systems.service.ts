import type { System } from '@steward/contracts';
import type {
  createSystemSchema,
  postgresConnectorInputSchema,
  systemQuerySchema,
  updateSystemSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { connectorPurpose, openPostgresSettings } from './account-sync.service.ts';
import { testPostgresConnection } from './postgres-connector.ts';
import { recordSystemsChecks } from './systems-checks.service.ts';
import type { SystemsDeps } from './systems-deps.ts';
import * as repo from './systems.repo.ts';

type CreateSystem = z.output<typeof createSystemSchema>;
type UpdateSystem = z.output<typeof updateSystemSchema>;
type PostgresInput = z.output<typeof postgresConnectorInputSchema>;

function notFound(): AppError {
  return new AppError('system.not_found');
}

const emptyCounts = { active: 0, disabled: 0, removed: 0, privileged: 0, flagged: 0 };

async function toSystems(tx: Tx, rows: readonly repo.SystemRow[], now: Date): Promise<System[]> {
  const users = await repo.findUsers(
    tx,
    rows.map((r) => r.owner_user_id),
  );
  const counts = await repo.countAccountsBySystem(
    tx,
    rows.map((r) => r.id),
    await repo.findDormantDays(tx),
    now,
  );
  return rows.map((r) => {
    const owner = r.owner_user_id ? users.get(r.owner_user_id) : undefined;
    const s = r.connector_settings;
    const c = counts.get(r.id);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      owner: owner ? { id: owner.id, name: owner.name, email: owner.email } : null,
      environment: r.environment as System['environment'],
      holdsCustomerData: r.holds_customer_data,
      signInMethod: r.sign_in_method as System['signInMethod'],
      ssoSupported: r.sso_supported,
      mfaEnforced: r.mfa_enforced,
      criticality: r.criticality as System['criticality'],
      reviewCadenceMonths: r.review_cadence_months,
      adminLimit: r.admin_limit,
      connectorKind: r.connector_kind as System['connectorKind'],
      postgres:
        r.connector_kind === 'postgresql' && typeof s.host === 'string'
          ? {
              host: s.host,
              port: typeof s.port === 'number' ? s.port : 5432,
              database: typeof s.database === 'string' ? s.database : '',
              user: typeof s.user === 'string' ? s.user : '',
              sslmode: (typeof s.sslmode === 'string' ? s.sslmode : 'prefer') as NonNullable<
                System['postgres']
              >['sslmode'],
              hasPassword: r.connector_secret_sealed !== null,
            }
          : null,
      syncIntervalHours: r.sync_interval_hours,
      nextSyncAt: r.next_sync_at?.toISOString() ?? null,
      lastSync: {
        at: r.last_sync_at?.toISOString() ?? null,
        status: r.last_sync_status as System['lastSync']['status'],
      },
      retiredAt: r.retired_at?.toISOString() ?? null,
      counts: c
        ? {
            active: c.active,
            disabled: c.disabled,
            removed: c.removed,
            privileged: c.privileged,
            flagged: c.flagged,
          }
        : emptyCounts,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

/** Systems of the inventory. */
export async function listSystems(
  uow: UnitOfWork,
  query: z.output<typeof systemQuerySchema>,
): Promise<{ items: System[] }> {
  return uow.read(async (tx) => ({
    items: await toSystems(tx, await repo.findSystems(tx, query), new Date()),
  }));
}

async function readSystem(tx: Tx, id: string): Promise<System> {
  const row = (await repo.findSystems(tx, { id }))[0];
  if (!row) throw notFound();
  const [system] = await toSystems(tx, [row], new Date());
  if (!system) throw notFound();
  return system;
}

/** One system. */
export async function getSystem(uow: UnitOfWork, id: string): Promise<System> {
  return uow.read((tx) => readSystem(tx, id));
}

async function checkOwner(tx: Tx, ownerUserId: string | null | undefined): Promise<void> {
  if (ownerUserId && !(await repo.isActiveUser(tx, ownerUserId))) {
    throw new AppError('request.invalid', 'The owner must be an active user', [
      { path: 'ownerUserId', message: 'Choose an active user' },
    ]);
  }
}

async function checkName(tx: Tx, name: string, exceptId?: string): Promise<void> {
  if (await repo.findSystemIdByName(tx, name, exceptId)) {
    throw new AppError('system.name_taken', `A system named "${name}" exists already`, [
      { path: 'name', message: 'Another system has this name' },
    ]);
  }
}

/**
 * The connector columns for a kind and its settings. A PostgreSQL connector needs its settings
 * and, the first time, a password; a stored password is kept unless another is given.
 */
async function connectorColumns(
  deps: Pick<SystemsDeps, 'secrets'>,
  systemId: string,
  kind: string | null,
  postgres: PostgresInput | null | undefined,
  current: repo.SystemRow | null,
): Promise<{
  connector_settings: Record<string, unknown>;
  connector_secret_sealed: string | null;
}> {
  if (kind !== 'postgresql') {
    if (postgres) {
      throw new AppError(
        'system.connector_invalid',
        'PostgreSQL settings need the postgresql connector',
        [{ path: 'postgres', message: 'Only for the postgresql connector' }],
      );
    }
    return { connector_settings: {}, connector_secret_sealed: null };
  }
  const keep = current?.connector_kind === 'postgresql' ? current : null;
  if (!postgres) {
    if (keep && keep.connector_secret_sealed !== null) {
      return {
        connector_settings: keep.connector_settings,
        connector_secret_sealed: keep.connector_secret_sealed,
      };
    }
    throw new AppError('system.connector_invalid', 'Enter the PostgreSQL connection settings', [
      { path: 'postgres', message: 'Enter the connection settings' },
    ]);
  }
  const { password, ...settings } = postgres;
  if (password === undefined && !keep?.connector_secret_sealed) {
    throw new AppError('system.connector_invalid', 'Enter the password of the connector user', [
      { path: 'postgres.password', message: 'Enter the password' },
    ]);
  }
  return {
    connector_settings: settings,
    connector_secret_sealed:
      password === undefined
        ? (keep?.connector_secret_sealed ?? null)
        : await deps.secrets.sealSecret(connectorPurpose(systemId), password),
  };
}

function scheduleColumns(kind: string | null, hours: number | null | undefined, now: Date) {
  // Only connectors Steward reads itself run on a schedule.
  const interval = kind === 'postgresql' || kind === 'scim' ? (hours ?? null) : null;
  return {
    sync_interval_hours: interval,
    next_sync_at: interval === null ? null : new Date(now.getTime() + interval * 3_600_000),
  };
}

/** Add a system; a PostgreSQL connector's password is sealed before it is stored. */
export async function createSystem(
  deps: SystemsDeps,
  uow: UnitOfWork,
  input: CreateSystem,
): Promise<System> {
  const id = randomUUID();
  const connector = await connectorColumns(deps, id, input.connectorKind, input.postgres, null);
  const now = new Date();
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    await checkName(tx, input.name);
    await checkOwner(tx, input.ownerUserId);
    await repo.insertSystem(tx, {
      id,
      org_id: uow.orgId,
      name: input.name,
      description: input.description ?? null,
      owner_user_id: input.ownerUserId ?? null,
      environment: input.environment,
      holds_customer_data: input.holdsCustomerData,
      sign_in_method: input.signInMethod,
      sso_supported: input.ssoSupported,
      mfa_enforced: input.mfaEnforced,
      criticality: input.criticality,
      review_cadence_months: input.reviewCadenceMonths,
      admin_limit: input.adminLimit ?? null,
      connector_kind: input.connectorKind,
      ...connector,
      ...scheduleColumns(input.connectorKind, input.syncIntervalHours, now),
      last_sync_at: null,
      last_sync_status: null,
      retired_at: null,
    });
    await audit({
      action: 'system.created',
      targetType: 'system',
      targetId: id,
      changes: {
        ...input,
        postgres: input.postgres
          ? { ...input.postgres, password: input.postgres.password ? '[sealed]' : undefined }
          : undefined,
      },
    });
    await recordSystemsChecks(scope, uow.orgId, now);
    return readSystem(tx, id);
  });
}

/** Change a system; the audit event lists the fields that changed (never the password). */
export async function updateSystem(
  deps: SystemsDeps,
  uow: UnitOfWork,
  id: string,
  input: UpdateSystem,
): Promise<System> {
  const current = (await uow.read((tx) => repo.findSystems(tx, { id })))[0];
  if (!current) throw notFound();
  if (current.retired_at !== null) throw new AppError('system.retired');
  const kind = input.connectorKind === undefined ? current.connector_kind : input.connectorKind;
  const connectorChanged = input.connectorKind !== undefined || input.postgres !== undefined;
  const connector = connectorChanged
    ? await connectorColumns(deps, id, kind, input.postgres, current)
    : null;
  const now = new Date();
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    if (input.name !== undefined) await checkName(tx, input.name, id);
    if (input.ownerUserId !== undefined) await checkOwner(tx, input.ownerUserId);
    const values: Parameters<typeof repo.updateSystem>[2] = {};
    const changes: Record<string, unknown> = {};
    const set = <K extends keyof typeof values>(
      column: K,
      field: string,
      value: (typeof values)[K] | undefined,
    ) => {
      if (value === undefined) return;
      if (current[column as keyof repo.SystemRow] === value) return;
      values[column] = value;
      changes[field] = { from: current[column as keyof repo.SystemRow], to: value };
    };
    set('name', 'name', input.name);
    set('description', 'description', input.description);
    set('owner_user_id', 'ownerUserId', input.ownerUserId);
    set('environment', 'environment', input.environment);
    set('holds_customer_data', 'holdsCustomerData', input.holdsCustomerData);
    set('sign_in_method', 'signInMethod', input.signInMethod);
    set('sso_supported', 'ssoSupported', input.ssoSupported);
    set('mfa_enforced', 'mfaEnforced', input.mfaEnforced);
    set('criticality', 'criticality', input.criticality);
    set('review_cadence_months', 'reviewCadenceMonths', input.reviewCadenceMonths);
    set('admin_limit', 'adminLimit', input.adminLimit);
    set('connector_kind', 'connectorKind', input.connectorKind);
    if (connector) {
      values.connector_settings = connector.connector_settings;
      values.connector_secret_sealed = connector.connector_secret_sealed;
      changes.connector = {
        settings: connector.connector_settings,
        passwordChanged: input.postgres?.password !== undefined,
      };
    }
    if (input.syncIntervalHours !== undefined || input.connectorKind !== undefined) {
      const schedule = scheduleColumns(
        kind,
        input.syncIntervalHours === undefined
          ? current.sync_interval_hours
          : input.syncIntervalHours,
        now,
      );
      if (schedule.sync_interval_hours !== current.sync_interval_hours) {
        changes.syncIntervalHours = {
          from: current.sync_interval_hours,
          to: schedule.sync_interval_hours,
        };
        Object.assign(values, schedule);
      }
    }
    if (Object.keys(values).length > 0) await repo.updateSystem(tx, id, values);
    await audit({ action: 'system.updated', targetType: 'system', targetId: id, changes });
    await recordSystemsChecks(scope, uow.orgId, now);
    return readSystem(tx, id);
  });
}

/** Retire a system: its accounts stay as evidence; it is no longer synced or in scope. */
export async function retireSystem(uow: UnitOfWork, id: string): Promise<System> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const current = await repo.lockSystem(tx, id);
    if (!current) throw notFound();
    if (current.retired_at !== null) throw new AppError('system.retired');
    const now = new Date();
    await repo.updateSystem(tx, id, { retired_at: now, next_sync_at: null });
    await audit({
      action: 'system.retired',
      targetType: 'system',
      targetId: id,
      changes: { name: current.name },
    });
    await recordSystemsChecks(scope, uow.orgId, now);
    return readSystem(tx, id);
  });
}

/** Connect with the stored settings and report the server version and role count. */
export async function testConnection(
  deps: SystemsDeps,
  uow: UnitOfWork,
  id: string,
): Promise<{ ok: true; serverVersion: string; roles: number }> {
  const system = (await uow.read((tx) => repo.findSystems(tx, { id })))[0];
  if (!system) throw notFound();
  if (system.connector_kind !== 'postgresql') {
    throw new AppError('system.source_mismatch', 'Only a PostgreSQL connector can be tested', [
      { path: 'connectorKind', message: `is ${system.connector_kind ?? 'not set'}` },
    ]);
  }
  const result = await testPostgresConnection(await openPostgresSettings(deps, system));
  return { ok: true, ...result };
}

/** The org's settings for account flags. */
export async function getSettings(uow: UnitOfWork): Promise<{ dormantDays: number }> {
  return { dormantDays: await uow.read(repo.findDormantDays) };
}

/** Change the org's settings for account flags. */
export async function updateSettings(
  uow: UnitOfWork,
  input: { dormantDays: number },
): Promise<{ dormantDays: number }> {
  return uow.write(async (scope) => {
    const before = await repo.findDormantDays(scope.tx);
    await repo.upsertSettings(scope.tx, uow.orgId, input.dormantDays);
    await scope.audit({
      action: 'system.settings_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { dormantDays: { from: before, to: input.dormantDays } },
    });
    return { dormantDays: input.dormantDays };
  });
}
