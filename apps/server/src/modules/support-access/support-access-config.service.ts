import type {
  Customer,
  SupportAccessRule,
  SupportAccessSystem,
  createCustomerSchema,
  supportAccessRuleInputSchema,
  updateCustomerSchema,
  updateSupportAccessSystemSchema,
} from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError, type FieldError } from '../../platform/errors/app-error.ts';
import { grantPurpose, webhookPurpose, type SupportAccessDeps } from './support-access-deps.ts';
import * as repo from './support-access.repo.ts';

type CreateCustomer = z.output<typeof createCustomerSchema>;
type UpdateCustomer = z.output<typeof updateCustomerSchema>;
type SystemInput = z.output<typeof updateSupportAccessSystemSchema>;
type RuleInput = z.output<typeof supportAccessRuleInputSchema>;

/** A customer as the API shows it. */
export function toCustomer(row: repo.CustomerRow): Customer {
  return {
    id: row.id,
    name: row.name,
    key: row.key,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The org's customers. */
export async function listCustomers(uow: UnitOfWork): Promise<{ items: Customer[] }> {
  return uow.read(async (tx) => ({ items: (await repo.findCustomers(tx)).map(toCustomer) }));
}

/** One customer, or 404. */
export async function readCustomer(tx: Tx, id: string): Promise<repo.CustomerRow> {
  const [row] = await repo.findCustomers(tx, id);
  if (!row) throw new AppError('customer.not_found');
  return row;
}

async function checkClash(
  tx: Tx,
  name: string | undefined,
  key: string | undefined,
  exceptId?: string,
): Promise<void> {
  const clash = await repo.findClashingCustomer(tx, name, key, exceptId);
  if (!clash) return;
  const errors: FieldError[] = [];
  if (name !== undefined && clash.name.toLowerCase() === name.toLowerCase()) {
    errors.push({ path: 'name', message: 'Another customer has this name' });
  }
  if (key !== undefined && clash.key === key) {
    errors.push({ path: 'key', message: 'Another customer has this key' });
  }
  throw new AppError('customer.key_taken', undefined, errors);
}

/** Add a customer. */
export async function createCustomer(uow: UnitOfWork, input: CreateCustomer): Promise<Customer> {
  return uow.write(async ({ tx, audit }) => {
    await checkClash(tx, input.name, input.key);
    const id = randomUUID();
    await repo.insertCustomer(tx, {
      id,
      org_id: uow.orgId,
      name: input.name,
      key: input.key,
      notes: input.notes,
    });
    await audit({
      action: 'customer.created',
      targetType: 'customer',
      targetId: id,
      changes: input,
    });
    return toCustomer(await readCustomer(tx, id));
  });
}

/** Change a customer. */
export async function updateCustomer(
  uow: UnitOfWork,
  id: string,
  input: UpdateCustomer,
): Promise<Customer> {
  return uow.write(async ({ tx, audit }) => {
    const current = await readCustomer(tx, id);
    await checkClash(tx, input.name, input.key, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.name !== undefined && input.name !== current.name) {
      changes.name = { from: current.name, to: input.name };
    }
    if (input.key !== undefined && input.key !== current.key) {
      changes.key = { from: current.key, to: input.key };
    }
    if (input.notes !== undefined && input.notes !== current.notes) {
      changes.notes = { from: current.notes, to: input.notes };
    }
    await repo.updateCustomer(tx, id, {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.key === undefined ? {} : { key: input.key }),
      ...(input.notes === undefined ? {} : { notes: input.notes }),
    });
    await audit({ action: 'customer.updated', targetType: 'customer', targetId: id, changes });
    return toCustomer(await readCustomer(tx, id));
  });
}

/** The org's support access window limits. */
export async function getSettings(
  uow: UnitOfWork,
): Promise<{ defaultDurationMinutes: number; maxDurationMinutes: number }> {
  return uow.read(repo.findSettings);
}

/** Change the org's support access window limits. */
export async function updateSettings(
  uow: UnitOfWork,
  input: { defaultDurationMinutes: number; maxDurationMinutes: number },
): Promise<{ defaultDurationMinutes: number; maxDurationMinutes: number }> {
  return uow.write(async ({ tx, audit }) => {
    const before = await repo.findSettings(tx);
    await repo.upsertSettings(tx, uow.orgId, input);
    await audit({
      action: 'support_access.settings_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { from: before, to: input },
    });
    return input;
  });
}

type SystemWithTarget = Awaited<ReturnType<typeof repo.findSystemsWithTargets>>[number];

function toSystemConfig(
  s: SystemWithTarget,
  mappings: Awaited<ReturnType<typeof repo.findMappings>>,
): SupportAccessSystem {
  const t = s.target;
  return {
    system: {
      id: s.id,
      name: s.name,
      connectorKind: s.connector_kind,
      holdsCustomerData: s.holds_customer_data,
    },
    mode: (t?.mode ?? null) as SupportAccessSystem['mode'],
    postgres:
      t?.mode === 'postgresql' && t.grant_user !== null
        ? {
            user: t.grant_user,
            hasPassword: t.grant_secret_sealed !== null,
            connectionLimit: t.connection_limit,
          }
        : null,
    webhook:
      t?.mode === 'webhook' && t.webhook_url !== null
        ? { url: t.webhook_url, hasSecret: t.webhook_secret_sealed !== null }
        : null,
    mappings: mappings
      .filter((m) => m.system_id === s.id)
      .map((m) => ({
        customer: { id: m.customer_id, name: m.customer_name, key: m.customer_key },
        schemaName: m.schema_name,
        readRole: m.read_role,
        writeRole: m.write_role,
      })),
    updatedAt: t ? t.updated_at.toISOString() : null,
  };
}

/** Every system of the inventory with its support access configuration. */
export async function listSystems(uow: UnitOfWork): Promise<{ items: SupportAccessSystem[] }> {
  return uow.read(async (tx) => {
    const systems = await repo.findSystemsWithTargets(tx);
    const mappings = await repo.findMappings(
      tx,
      systems.map((s) => s.id),
    );
    return { items: systems.map((s) => toSystemConfig(s, mappings)) };
  });
}

async function readSystemConfig(tx: Tx, id: string): Promise<SupportAccessSystem> {
  const [system] = await repo.findSystemsWithTargets(tx, id);
  if (!system) throw new AppError('system.not_found');
  return toSystemConfig(system, await repo.findMappings(tx, [id]));
}

/** One system's support access configuration. */
export async function getSystem(uow: UnitOfWork, id: string): Promise<SupportAccessSystem> {
  return uow.read((tx) => readSystemConfig(tx, id));
}

function invalid(path: string, message: string): AppError {
  return new AppError('support_access.config_invalid', message, [{ path, message }]);
}

/**
 * Configure support access on a system. PostgreSQL needs the system's PostgreSQL connector (for
 * host and database) and a grant user whose password is sealed; a webhook needs a URL and a
 * signing secret, sealed. Secrets already stored are kept when omitted; mappings are replaced.
 */
export async function configureSystem(
  deps: Pick<SupportAccessDeps, 'secrets'>,
  uow: UnitOfWork,
  id: string,
  input: SystemInput,
): Promise<SupportAccessSystem> {
  const [system] = await uow.read((tx) => repo.findSystemsWithTargets(tx, id));
  if (!system) throw new AppError('system.not_found');
  if (system.retired_at !== null) throw new AppError('system.retired');
  const current = system.target?.mode === input.mode ? system.target : null;
  let grantSealed: string | null = null;
  let webhookSealed: string | null = null;
  if (input.mode === 'postgresql') {
    if (system.connector_kind !== 'postgresql') {
      throw invalid('mode', 'PostgreSQL grants need the system to have the PostgreSQL connector');
    }
    if (!input.postgres) throw invalid('postgres', 'Enter the grant user and its password');
    if (input.webhook) throw invalid('webhook', 'Only for the webhook mode');
    grantSealed =
      input.postgres.password === undefined
        ? (current?.grant_secret_sealed ?? null)
        : await deps.secrets.sealSecret(grantPurpose(id), input.postgres.password);
    if (grantSealed === null) throw invalid('postgres.password', 'Enter the password');
  } else {
    if (!input.webhook) throw invalid('webhook', 'Enter the webhook URL and signing secret');
    if (input.postgres) throw invalid('postgres', 'Only for the postgresql mode');
    webhookSealed =
      input.webhook.secret === undefined
        ? (current?.webhook_secret_sealed ?? null)
        : await deps.secrets.sealSecret(webhookPurpose(id), input.webhook.secret);
    if (webhookSealed === null) throw invalid('webhook.secret', 'Enter the signing secret');
  }
  const seen = new Set<string>();
  input.mappings.forEach((m, i) => {
    if (seen.has(m.customerId)) {
      throw invalid(`mappings.${String(i)}.customerId`, 'This customer is mapped twice');
    }
    seen.add(m.customerId);
  });
  return uow.write(async ({ tx, audit }) => {
    const known = await repo.findCustomerIds(tx, [...seen]);
    input.mappings.forEach((m, i) => {
      if (!known.has(m.customerId)) {
        throw invalid(`mappings.${String(i)}.customerId`, 'No such customer');
      }
    });
    await repo.saveTarget(
      tx,
      {
        org_id: uow.orgId,
        system_id: id,
        mode: input.mode,
        grant_user: input.postgres?.user ?? null,
        grant_secret_sealed: grantSealed,
        connection_limit: input.postgres?.connectionLimit ?? 2,
        webhook_url: input.webhook?.url ?? null,
        webhook_secret_sealed: webhookSealed,
      },
      input.mappings.map((m) => ({
        customer_id: m.customerId,
        schema_name: m.schemaName,
        read_role: m.readRole,
        write_role: m.writeRole,
      })),
    );
    await audit({
      action: 'support_access.system_configured',
      targetType: 'system',
      targetId: id,
      changes: {
        mode: input.mode,
        postgres: input.postgres
          ? {
              user: input.postgres.user,
              connectionLimit: input.postgres.connectionLimit,
              passwordChanged: input.postgres.password !== undefined,
            }
          : undefined,
        webhook: input.webhook
          ? { url: input.webhook.url, secretChanged: input.webhook.secret !== undefined }
          : undefined,
        mappings: input.mappings,
      },
    });
    return readSystemConfig(tx, id);
  });
}

async function toRules(tx: Tx, rows: repo.RuleRow[]): Promise<SupportAccessRule[]> {
  const users = await repo.findUsers(tx, [...new Set(rows.flatMap((r) => r.user_ids))]);
  const systems = new Map(
    (await repo.findSystemsWithTargets(tx)).map((s) => [s.id, { id: s.id, name: s.name }]),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    users: r.user_ids.flatMap((u) => {
      const user = users.get(u);
      return user ? [{ id: user.id, name: user.name, email: user.email }] : [];
    }),
    systems: r.system_ids.flatMap((s) => {
      const system = systems.get(s);
      return system ? [system] : [];
    }),
    maxLevel: r.max_level as SupportAccessRule['maxLevel'],
    maxDurationMinutes: r.max_duration_minutes,
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** The org's on-call rules. */
export async function listRules(uow: UnitOfWork): Promise<{ items: SupportAccessRule[] }> {
  return uow.read(async (tx) => ({ items: await toRules(tx, await repo.findRules(tx)) }));
}

async function checkRuleInput(tx: Tx, input: RuleInput): Promise<void> {
  const users = await repo.findUsers(tx, input.userIds);
  input.userIds.forEach((u, i) => {
    if (users.get(u)?.status !== 'active') {
      throw invalid(`userIds.${String(i)}`, 'Choose an active user');
    }
  });
  const systems = new Set((await repo.findSystemsWithTargets(tx)).map((s) => s.id));
  input.systemIds.forEach((s, i) => {
    if (!systems.has(s)) throw invalid(`systemIds.${String(i)}`, 'No such system');
  });
}

/** Add or replace an on-call rule. */
export async function saveRule(
  uow: UnitOfWork,
  id: string | null,
  input: RuleInput,
): Promise<SupportAccessRule> {
  return uow.write(async ({ tx, audit }) => {
    if (id !== null && (await repo.findRules(tx, id)).length === 0) {
      throw new AppError('support_access.rule_not_found');
    }
    await checkRuleInput(tx, input);
    const ruleId = id ?? randomUUID();
    await repo.saveRule(tx, {
      id: ruleId,
      org_id: uow.orgId,
      name: input.name,
      user_ids: [...new Set(input.userIds)],
      system_ids: [...new Set(input.systemIds)],
      max_level: input.maxLevel,
      max_duration_minutes: input.maxDurationMinutes,
      enabled: input.enabled,
    });
    await audit({
      action: id === null ? 'support_access.rule_created' : 'support_access.rule_updated',
      targetType: 'support_access_rule',
      targetId: ruleId,
      changes: input,
    });
    const [rule] = await toRules(tx, await repo.findRules(tx, ruleId));
    if (!rule) throw new AppError('support_access.rule_not_found');
    return rule;
  });
}

/** Remove an on-call rule. */
export async function deleteRule(uow: UnitOfWork, id: string): Promise<{ ok: true }> {
  return uow.write(async ({ tx, audit }) => {
    const [rule] = await repo.findRules(tx, id);
    if (!rule) throw new AppError('support_access.rule_not_found');
    await repo.deleteRule(tx, id);
    await audit({
      action: 'support_access.rule_deleted',
      targetType: 'support_access_rule',
      targetId: id,
      changes: { name: rule.name },
    });
    return { ok: true };
  });
}
