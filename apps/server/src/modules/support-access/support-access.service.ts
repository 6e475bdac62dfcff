import type {
  SupportAccessRequest,
  SupportAccessStatus,
  createSupportAccessRequestSchema,
  supportAccessCredentialSchema,
  supportAccessRequestDetailSchema,
  supportAccessRequestQuerySchema,
} from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  GrantError,
  grantPostgresAccess,
  newPassword,
  newRoleName,
  revokePostgresAccess,
  type GrantConnection,
  type GrantMapping,
} from './postgres-grant.ts';
import { recordSupportAccessChecks } from './support-access-checks.service.ts';
import {
  credentialPurpose,
  deliverJobName,
  grantPurpose,
  type SupportAccessDeps,
} from './support-access-deps.ts';
import * as repo from './support-access.repo.ts';

type CreateRequest = z.output<typeof createSupportAccessRequestSchema>;
type RequestQuery = z.output<typeof supportAccessRequestQuerySchema>;
type RequestDetail = z.output<typeof supportAccessRequestDetailSchema>;
type Credential = z.output<typeof supportAccessCredentialSchema>;

const liveStatuses: readonly string[] = ['approved', 'active'];
const levelRank = { read: 1, write: 2 } as const;

/** A request as the API shows it. */
export function toRequest(row: repo.RequestRow): SupportAccessRequest {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    customer: { id: row.customer_id, name: row.customer_name, key: row.customer_key },
    system: { id: row.system_id, name: row.system_name },
    mechanism: row.mechanism as SupportAccessRequest['mechanism'],
    requester: { id: row.requester_user_id, name: row.requester_name, email: row.requester_email },
    reason: row.reason,
    ticketRef: row.ticket_ref,
    level: row.level as SupportAccessRequest['level'],
    durationMinutes: row.duration_minutes,
    status: row.status as SupportAccessStatus,
    decidedBy: row.decided_by_label,
    decidedByUserId: row.decided_by_user_id,
    decidedAt: iso(row.decided_at),
    decisionReason: row.decision_reason,
    autoRule:
      row.auto_rule_name === null ? null : { id: row.auto_rule_id, name: row.auto_rule_name },
    grantedAt: iso(row.granted_at),
    expiresAt: iso(row.expires_at),
    endedAt: iso(row.ended_at),
    endedBy: row.ended_by_label,
    endReason: row.end_reason,
    grantUsername: row.grant_username,
    grantError: row.grant_error,
    revokedOnSystemAt: iso(row.revoked_on_system_at),
    revokeError: row.revoke_error,
    credentialAvailable: row.credential_sealed !== null && row.status === 'active',
    credentialRevealedAt: iso(row.credential_revealed_at),
    createdAt: row.created_at.toISOString(),
  };
}

async function readDetail(tx: Tx, id: string): Promise<RequestDetail> {
  const row = await repo.findRequest(tx, id);
  if (!row) throw new AppError('support_access.not_found');
  const deliveries = await repo.findDeliveries(tx, id);
  return {
    ...toRequest(row),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      event: d.event as 'grant',
      attempt: d.attempt,
      attemptedAt: d.attempted_at.toISOString(),
      statusCode: d.status_code,
      acknowledged: d.acknowledged,
      response: d.response,
      error: d.error,
    })),
  };
}

/** Requests, newest first; `mine` limits them to the caller's. */
export async function listRequests(
  uow: UnitOfWork,
  identity: Identity,
  query: RequestQuery,
): Promise<{ items: SupportAccessRequest[] }> {
  return uow.read(async (tx) => ({
    items: (
      await repo.findRequests(tx, {
        status: query.status,
        stage: query.stage,
        customerId: query.customerId,
        systemId: query.systemId,
        requesterUserId: query.mine ? identity.userId : undefined,
        limit: query.limit,
      })
    ).map(toRequest),
  }));
}

/** One request with its webhook deliveries. */
export async function getRequest(uow: UnitOfWork, id: string): Promise<RequestDetail> {
  return uow.read((tx) => readDetail(tx, id));
}

async function userLabel(tx: Tx, userId: string, fallback: string): Promise<string> {
  const user = (await repo.findUsers(tx, [userId])).get(userId);
  return user ? `${user.name} <${user.email}>` : fallback;
}

function fieldError(
  code: 'request.invalid' | 'support_access.not_configured',
  path: string,
  message: string,
) {
  return new AppError(code, message, [{ path, message }]);
}

/** Where the customer's data lives on the system, checked against the level asked for. */
function checkMapping(
  mechanism: string,
  mapping: repo.MappingRow | undefined,
  level: 'read' | 'write',
): void {
  if (mechanism !== 'postgresql') return;
  if (!mapping) {
    throw fieldError(
      'support_access.not_configured',
      'customerId',
      'No schema or role is mapped for this customer on this system',
    );
  }
  const covered =
    mapping.schema_name !== null ||
    (level === 'read' ? mapping.read_role !== null : mapping.write_role !== null);
  if (!covered) {
    throw fieldError(
      'support_access.not_configured',
      'level',
      `No schema or ${level} role is mapped for this customer on this system`,
    );
  }
}

function afterApproval(
  deps: SupportAccessDeps,
  scope: WriteScope,
  orgId: string,
  mechanism: string,
  id: string,
): void {
  if (mechanism === 'webhook') {
    scope.afterCommit(() =>
      deps.jobs.enqueue(deliverJobName, { orgId, requestId: id, event: 'grant' }),
    );
  }
}

/**
 * Request access to a customer's data on a system. The duration defaults to the org's default
 * and may not exceed its maximum; a matching on-call rule approves it at once (audited as such)
 * and the access is granted.
 */
export async function createRequest(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  identity: Identity,
  input: CreateRequest,
  now = new Date(),
): Promise<RequestDetail> {
  const outcome = await uow.write(async (scope) => {
    const { tx, audit } = scope;
    const settings = await repo.findSettings(tx);
    const duration = input.durationMinutes ?? settings.defaultDurationMinutes;
    if (duration > settings.maxDurationMinutes) {
      throw new AppError(
        'support_access.duration_exceeded',
        `At most ${String(settings.maxDurationMinutes)} minutes`,
        [
          {
            path: 'durationMinutes',
            message: `The organisation allows at most ${String(settings.maxDurationMinutes)} minutes`,
          },
        ],
      );
    }
    if ((await repo.findCustomerIds(tx, [input.customerId])).size === 0) {
      throw fieldError('request.invalid', 'customerId', 'No such customer');
    }
    const [system] = await repo.findSystemsWithTargets(tx, input.systemId);
    if (!system || system.retired_at !== null) {
      throw fieldError('request.invalid', 'systemId', 'No such system in use');
    }
    if (!system.target) {
      throw fieldError(
        'support_access.not_configured',
        'systemId',
        'Support access is not configured on this system',
      );
    }
    const mechanism = system.target.mode;
    checkMapping(
      mechanism,
      await repo.findMapping(tx, input.systemId, input.customerId),
      input.level,
    );
    const id = randomUUID();
    await repo.insertRequest(tx, {
      id,
      org_id: uow.orgId,
      customer_id: input.customerId,
      system_id: input.systemId,
      requester_user_id: identity.userId,
      reason: input.reason,
      ticket_ref: input.ticketRef,
      level: input.level,
      duration_minutes: duration,
      mechanism,
    });
    await audit({
      action: 'support_access.requested',
      targetType: 'support_access_request',
      targetId: id,
      changes: { ...input, durationMinutes: duration, mechanism },
    });
    const rule = (await repo.findRulesForUser(tx, identity.userId)).find(
      (r) =>
        (r.system_ids.length === 0 || r.system_ids.includes(input.systemId)) &&
        levelRank[input.level] <= levelRank[r.max_level as 'read' | 'write'] &&
        duration <= r.max_duration_minutes,
    );
    if (!rule) return { id, mechanism, approved: false };
    const expiresAt = new Date(now.getTime() + duration * 60_000);
    await repo.updateRequest(tx, id, {
      status: 'approved',
      decided_by_label: `On-call rule "${rule.name}"`,
      decided_at: now,
      auto_rule_id: rule.id,
      auto_rule_name: rule.name,
      expires_at: expiresAt,
    });
    await audit({
      action: 'support_access.auto_approved',
      targetType: 'support_access_request',
      targetId: id,
      changes: {
        ruleId: rule.id,
        ruleName: rule.name,
        level: input.level,
        durationMinutes: duration,
        expiresAt: expiresAt.toISOString(),
      },
    });
    afterApproval(deps, scope, uow.orgId, mechanism, id);
    return { id, mechanism, approved: true };
  });
  if (outcome.approved && outcome.mechanism === 'postgresql') {
    await grantOnPostgres(deps, uow, outcome.id, now);
  }
  return getRequest(uow, outcome.id);
}

/** Approve a pending request (never one's own) and grant the access on the system. */
export async function approveRequest(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  now = new Date(),
): Promise<RequestDetail> {
  const mechanism = await uow.write(async (scope) => {
    const { tx, audit } = scope;
    const row = await repo.findRequest(tx, id, true);
    if (!row) throw new AppError('support_access.not_found');
    if (row.requester_user_id === identity.userId)
      throw new AppError('support_access.self_approval');
    if (row.status !== 'pending') {
      throw new AppError('support_access.wrong_state', `The request is ${row.status}, not pending`);
    }
    const expiresAt = new Date(now.getTime() + row.duration_minutes * 60_000);
    await repo.updateRequest(tx, id, {
      status: 'approved',
      decided_by_user_id: identity.userId,
      decided_by_label: await userLabel(tx, identity.userId, identity.label),
      decided_at: now,
      expires_at: expiresAt,
    });
    await audit({
      action: 'support_access.approved',
      targetType: 'support_access_request',
      targetId: id,
      changes: {
        requester: row.requester_email,
        customer: row.customer_key,
        system: row.system_name,
        level: row.level,
        expiresAt: expiresAt.toISOString(),
      },
    });
    afterApproval(deps, scope, uow.orgId, row.mechanism, id);
    return row.mechanism;
  });
  if (mechanism === 'postgresql') await grantOnPostgres(deps, uow, id, now);
  return getRequest(uow, id);
}

/** Deny a pending request with a reason. */
export async function denyRequest(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  reason: string,
  now = new Date(),
): Promise<RequestDetail> {
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.findRequest(tx, id, true);
    if (!row) throw new AppError('support_access.not_found');
    if (row.requester_user_id === identity.userId) {
      throw new AppError('support_access.self_approval', 'Withdraw your own request instead');
    }
    if (row.status !== 'pending') {
      throw new AppError('support_access.wrong_state', `The request is ${row.status}, not pending`);
    }
    await repo.updateRequest(tx, id, {
      status: 'denied',
      decided_by_user_id: identity.userId,
      decided_by_label: await userLabel(tx, identity.userId, identity.label),
      decided_at: now,
      decision_reason: reason,
    });
    await audit({
      action: 'support_access.denied',
      targetType: 'support_access_request',
      targetId: id,
      changes: { reason },
    });
    return readDetail(tx, id);
  });
}

/** Withdraw one's own pending request. */
export async function cancelRequest(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  now = new Date(),
): Promise<RequestDetail> {
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.findRequest(tx, id, true);
    if (!row) throw new AppError('support_access.not_found');
    if (row.requester_user_id !== identity.userId)
      throw new AppError('support_access.not_requester');
    if (row.status !== 'pending') {
      throw new AppError('support_access.wrong_state', `The request is ${row.status}, not pending`);
    }
    await repo.updateRequest(tx, id, {
      status: 'cancelled',
      ended_at: now,
      ended_by_label: await userLabel(tx, identity.userId, identity.label),
    });
    await audit({
      action: 'support_access.cancelled',
      targetType: 'support_access_request',
      targetId: id,
    });
    return readDetail(tx, id);
  });
}

interface GrantContext {
  row: repo.RequestRow;
  target: repo.TargetRow | null;
  connectorSettings: Record<string, unknown>;
  mapping: GrantMapping;
}

async function loadContext(tx: Tx, id: string): Promise<GrantContext> {
  const row = await repo.findRequest(tx, id);
  if (!row) throw new AppError('support_access.not_found');
  const [system] = await repo.findSystemsWithTargets(tx, row.system_id);
  const mapping = await repo.findMapping(tx, row.system_id, row.customer_id);
  return {
    row,
    target: system?.target ?? null,
    connectorSettings: system?.connector_settings ?? {},
    mapping: {
      schemaName: mapping?.schema_name ?? null,
      readRole: mapping?.read_role ?? null,
      writeRole: mapping?.write_role ?? null,
    },
  };
}

async function openConnection(
  deps: Pick<SupportAccessDeps, 'secrets'>,
  ctx: GrantContext,
): Promise<GrantConnection> {
  const s = ctx.connectorSettings;
  const t = ctx.target;
  if (
    t?.mode !== 'postgresql' ||
    t.grant_user === null ||
    t.grant_secret_sealed === null ||
    typeof s.host !== 'string' ||
    typeof s.database !== 'string'
  ) {
    throw new GrantError('The system has no PostgreSQL grant credential configured');
  }
  return {
    host: s.host,
    port: typeof s.port === 'number' ? s.port : 5432,
    database: s.database,
    sslmode: (typeof s.sslmode === 'string' ? s.sslmode : 'prefer') as GrantConnection['sslmode'],
    user: t.grant_user,
    password: await deps.secrets.openSecret(grantPurpose(t.system_id), t.grant_secret_sealed),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Create the login role of an approved PostgreSQL request, valid until the window ends, and keep
 * its credential sealed for the requester's one reveal. A refusal marks the request failed.
 */
async function grantOnPostgres(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  id: string,
  now: Date,
): Promise<void> {
  const ctx = await uow.read((tx) => loadContext(tx, id));
  const { row } = ctx;
  if (row.status !== 'approved' || row.expires_at === null) return;
  const roleName = newRoleName();
  const password = newPassword();
  let connection: GrantConnection;
  try {
    connection = await openConnection(deps, ctx);
    await grantPostgresAccess(connection, {
      roleName,
      password,
      validUntil: row.expires_at,
      connectionLimit: ctx.target?.connection_limit ?? 2,
      level: row.level as 'read' | 'write',
      mapping: ctx.mapping,
    });
  } catch (error) {
    const reason = messageOf(error);
    await uow.write(async (scope) => {
      const current = await repo.findRequest(scope.tx, id, true);
      if (current?.status !== 'approved') {
        await scope.audit({
          action: 'support_access.grant_failed',
          targetType: 'support_access_request',
          targetId: id,
          changes: { error: reason },
        });
        return;
      }
      await repo.updateRequest(scope.tx, id, { status: 'failed', grant_error: reason });
      await scope.audit({
        action: 'support_access.grant_failed',
        targetType: 'support_access_request',
        targetId: id,
        changes: { error: reason },
      });
      await recordSupportAccessChecks(scope, uow.orgId, now);
    });
    return;
  }
  const sealed = await deps.secrets.sealSecret(
    credentialPurpose(id),
    JSON.stringify({
      host: connection.host,
      port: connection.port,
      database: connection.database,
      username: roleName,
      password,
    }),
  );
  const stillApproved = await uow.write(async (scope) => {
    const current = await repo.findRequest(scope.tx, id, true);
    const approved = current?.status === 'approved';
    // Ended while the role was being created: record it so the cleanup drops it.
    await repo.updateRequest(
      scope.tx,
      id,
      approved
        ? {
            status: 'active',
            granted_at: new Date(),
            grant_username: roleName,
            credential_sealed: sealed,
          }
        : { grant_username: roleName },
    );
    await scope.audit({
      action: 'support_access.granted',
      targetType: 'support_access_request',
      targetId: id,
      changes: {
        mechanism: 'postgresql',
        role: roleName,
        level: row.level,
        validUntil: row.expires_at?.toISOString(),
        connectionLimit: ctx.target?.connection_limit ?? 2,
        mapping: ctx.mapping,
      },
    });
    await recordSupportAccessChecks(scope, uow.orgId, now);
    return approved;
  });
  if (!stillApproved) await revokeOnPostgres(deps, uow, id, now);
}

/**
 * Drop the login role of an ended PostgreSQL grant; the outcome (or the reason it failed, to be
 * retried by the expiry job) is recorded on the request.
 */
export async function revokeOnPostgres(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  id: string,
  now = new Date(),
): Promise<void> {
  const ctx = await uow.read((tx) => loadContext(tx, id));
  const roleName = ctx.row.grant_username;
  if (roleName === null || ctx.row.revoked_on_system_at !== null) return;
  let notes: string[];
  try {
    notes = (await revokePostgresAccess(await openConnection(deps, ctx), roleName, ctx.mapping))
      .notes;
  } catch (error) {
    const reason = messageOf(error);
    // The expiry job retries every minute: the same failure is recorded once.
    if (reason === ctx.row.revoke_error) return;
    await uow.write(async (scope) => {
      await repo.updateRequest(scope.tx, id, { revoke_error: reason });
      await scope.audit({
        action: 'support_access.revoke_failed',
        targetType: 'support_access_request',
        targetId: id,
        changes: { role: roleName, error: reason },
      });
      await recordSupportAccessChecks(scope, uow.orgId, now);
    });
    return;
  }
  await uow.write(async (scope) => {
    await repo.updateRequest(scope.tx, id, {
      revoked_on_system_at: new Date(),
      revoke_error: null,
    });
    await scope.audit({
      action: 'support_access.revoke_applied',
      targetType: 'support_access_request',
      targetId: id,
      changes: { mechanism: 'postgresql', role: roleName, notes },
    });
    await recordSupportAccessChecks(scope, uow.orgId, now);
  });
}

/** How access ended. */
export type EndKind = 'expired' | 'released' | 'revoked';

/**
 * End live access: record who ended it and why, wipe any unrevealed credential, then revoke it on
 * the system (PostgreSQL now; a webhook through the delivery job). Returns false when the request
 * was no longer live.
 */
export async function endAccess(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  id: string,
  kind: EndKind,
  by: { userId: string | null; label: string; reason: string | null },
  now = new Date(),
): Promise<boolean> {
  const mechanism = await uow.write(async (scope) => {
    const { tx, audit } = scope;
    const row = await repo.findRequest(tx, id, true);
    if (!row) throw new AppError('support_access.not_found');
    if (by.userId !== null && kind === 'released' && row.requester_user_id !== by.userId) {
      throw new AppError('support_access.not_requester');
    }
    if (!liveStatuses.includes(row.status)) {
      if (kind === 'expired') return null;
      throw new AppError('support_access.wrong_state', `The access is ${row.status}, not live`);
    }
    const label = by.userId === null ? by.label : await userLabel(tx, by.userId, by.label);
    await repo.updateRequest(tx, id, {
      status: kind,
      ended_at: now,
      ended_by_label: label,
      end_reason: by.reason,
      credential_sealed: null,
    });
    await audit({
      action: `support_access.${kind}`,
      targetType: 'support_access_request',
      targetId: id,
      changes: {
        reason: by.reason,
        expiresAt: row.expires_at?.toISOString() ?? null,
        role: row.grant_username,
      },
    });
    if (row.mechanism === 'webhook') {
      scope.afterCommit(() =>
        deps.jobs.enqueue(deliverJobName, { orgId: uow.orgId, requestId: id, event: 'revoke' }),
      );
    }
    await recordSupportAccessChecks(scope, uow.orgId, now);
    return row.mechanism;
  });
  if (mechanism === null) return false;
  if (mechanism === 'postgresql') await revokeOnPostgres(deps, uow, id, now);
  return true;
}

/** Reveal the credential of one's own active grant, once: it is wiped as it is shown. */
export async function revealCredential(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  now = new Date(),
): Promise<Credential> {
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.findRequest(tx, id, true);
    if (!row) throw new AppError('support_access.not_found');
    if (row.requester_user_id !== identity.userId)
      throw new AppError('support_access.not_requester');
    if (row.status !== 'active' || row.credential_sealed === null) {
      throw new AppError('support_access.credential_gone');
    }
    const opened = JSON.parse(
      await deps.secrets.openSecret(credentialPurpose(id), row.credential_sealed),
    ) as Record<string, unknown>;
    await repo.updateRequest(tx, id, { credential_sealed: null, credential_revealed_at: now });
    await audit({
      action: 'support_access.credential_revealed',
      targetType: 'support_access_request',
      targetId: id,
      changes: { role: row.grant_username },
    });
    const text = (key: string) => (typeof opened[key] === 'string' ? opened[key] : null);
    const details =
      typeof opened.details === 'object' && opened.details !== null
        ? Object.fromEntries(
            Object.entries(opened.details as Record<string, unknown>).map(([k, v]) => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v),
            ]),
          )
        : {};
    return {
      requestId: id,
      mechanism: row.mechanism as Credential['mechanism'],
      host: text('host'),
      port: typeof opened.port === 'number' ? opened.port : null,
      database: text('database'),
      username: text('username'),
      password: text('password'),
      details,
      expiresAt: row.expires_at?.toISOString() ?? null,
    };
  });
}

/**
 * End every live grant of an org whose window is over, and retry PostgreSQL revocations that
 * failed before. Returns how many ended and how many revocations were retried.
 */
export async function expireDue(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  now = new Date(),
): Promise<{ expired: number; retried: number }> {
  const due = await uow.read((tx) => repo.findDueRequests(tx, now));
  let expired = 0;
  for (const { id } of due) {
    const ended = await endAccess(
      deps,
      uow,
      id,
      'expired',
      { userId: null, label: 'Steward (window ended)', reason: 'The approved window ended' },
      now,
    );
    if (ended) expired++;
  }
  const pending = await uow.read(repo.findUnrevokedRequests);
  for (const { id } of pending) await revokeOnPostgres(deps, uow, id, now);
  return { expired, retried: pending.length };
}
