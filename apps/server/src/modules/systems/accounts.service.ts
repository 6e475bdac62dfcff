import {
  accountFlags,
  type Account,
  type AccountFlag,
  type accountDetailSchema,
  type accountQuerySchema,
  type updateAccountSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { recordSystemsChecks } from './systems-checks.service.ts';
import * as repo from './systems.repo.ts';

type AccountDetail = z.output<typeof accountDetailSchema>;

function notFound(): AppError {
  return new AppError('account.not_found');
}

function encodeCursor(row: repo.AccountListRow): string {
  return Buffer.from(JSON.stringify([row.system_name, row.external_id, row.id])).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): repo.AccountFilter['after'] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value.every((v) => typeof v === 'string') &&
      /^[0-9a-f-]{36}$/i.test(value[2] as string)
    ) {
      const [systemName, externalId, id] = value as [string, string, string];
      return { systemName, externalId, id };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new AppError('request.invalid', 'The cursor is not valid', [
    { path: 'cursor', message: 'Use the nextCursor of a previous page' },
  ]);
}

function toAccount(row: repo.AccountListRow, users: Map<string, repo.UserRef>): Account {
  const owner = row.service_owner_user_id ? users.get(row.service_owner_user_id) : undefined;
  return {
    id: row.id,
    system: { id: row.system_id, name: row.system_name },
    externalId: row.external_id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    accountType: row.account_type as Account['accountType'],
    serviceOwner: owner ? { id: owner.id, name: owner.name } : null,
    person:
      row.person_id && row.person_name && row.person_status
        ? { id: row.person_id, displayName: row.person_name, status: row.person_status }
        : null,
    linkMethod: row.link_method as Account['linkMethod'],
    status: row.status as Account['status'],
    privileged: row.is_privileged,
    privilegeJustification: row.privilege_justification,
    mfaEnabled: row.mfa_enabled,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    validUntil: row.valid_until?.toISOString() ?? null,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
    removedAt: row.removed_at?.toISOString() ?? null,
    entitlementCount: row.entitlement_count,
    flags: accountFlags.filter((f: AccountFlag) => row[f]),
  };
}

/** Accounts with their flags, filtered, by system and external id. */
export async function listAccounts(
  uow: UnitOfWork,
  query: z.output<typeof accountQuerySchema>,
): Promise<{ items: Account[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  return uow.read(async (tx) => {
    const rows = await repo.findAccounts(
      tx,
      { ...query, after, limit: query.limit + 1 },
      await repo.findDormantDays(tx),
      new Date(),
    );
    const page = rows.slice(0, query.limit);
    const users = await repo.findUsers(
      tx,
      page.map((r) => r.service_owner_user_id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toAccount(r, users)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  });
}

async function readAccount(tx: Tx, id: string): Promise<AccountDetail> {
  const [row] = await repo.findAccounts(
    tx,
    { id, limit: 1 },
    await repo.findDormantDays(tx),
    new Date(),
  );
  if (!row) throw notFound();
  const users = await repo.findUsers(tx, [row.service_owner_user_id]);
  const entitlements = await repo.findEntitlements(tx, id);
  const history = await repo.findChanges(tx, { accountId: id }, 200);
  return {
    ...toAccount(row, users),
    entitlements: entitlements.map((e) => ({
      kind: e.kind as AccountDetail['entitlements'][number]['kind'],
      name: e.name,
      privileged: e.is_privileged,
      firstSeenAt: e.first_seen_at.toISOString(),
      excess: e.excess,
    })),
    history: history.map((c) => ({
      accountId: c.account_id,
      externalId: c.external_id,
      kind: c.kind as AccountDetail['history'][number]['kind'],
      occurredAt: c.occurred_at.toISOString(),
      changes: c.changes,
    })),
  };
}

/** One account with its entitlements and history. */
export async function getAccount(uow: UnitOfWork, id: string): Promise<AccountDetail> {
  return uow.read((tx) => readAccount(tx, id));
}

async function lockAccount(tx: Tx, id: string) {
  const row = await tx
    .selectFrom('system_accounts')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** Register a service account with its owner, or record why a privileged account stands. */
export async function updateAccount(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updateAccountSchema>,
): Promise<AccountDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const current = await lockAccount(tx, id);
    const values: {
      account_type?: string;
      service_owner_user_id?: string | null;
      privilege_justification?: string | null;
    } = {};
    const changes: Record<string, unknown> = {};
    if (input.accountType !== undefined && input.accountType !== current.account_type) {
      values.account_type = input.accountType;
      changes.accountType = { from: current.account_type, to: input.accountType };
    }
    if (input.serviceOwnerUserId !== undefined) {
      if (
        input.serviceOwnerUserId !== null &&
        !(await repo.isActiveUser(tx, input.serviceOwnerUserId))
      ) {
        throw new AppError('request.invalid', 'The owner must be an active user', [
          { path: 'serviceOwnerUserId', message: 'Choose an active user' },
        ]);
      }
      if (input.serviceOwnerUserId !== current.service_owner_user_id) {
        values.service_owner_user_id = input.serviceOwnerUserId;
        changes.serviceOwnerUserId = {
          from: current.service_owner_user_id,
          to: input.serviceOwnerUserId,
        };
      }
    }
    if (
      (values.account_type ?? current.account_type) === 'user' &&
      values.account_type !== undefined
    ) {
      values.service_owner_user_id = null;
    }
    if (
      input.privilegeJustification !== undefined &&
      input.privilegeJustification !== current.privilege_justification
    ) {
      values.privilege_justification = input.privilegeJustification;
      changes.privilegeJustification = {
        from: current.privilege_justification,
        to: input.privilegeJustification,
      };
    }
    if (Object.keys(values).length > 0) {
      await tx.updateTable('system_accounts').set(values).where('id', '=', id).execute();
    }
    await audit({ action: 'account.updated', targetType: 'account', targetId: id, changes });
    await recordSystemsChecks(scope, uow.orgId);
    return readAccount(tx, id);
  });
}

/** Link an account to a person by hand; matching never overrides a manual link. */
export async function linkAccount(
  uow: UnitOfWork,
  id: string,
  personId: string,
): Promise<AccountDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const current = await lockAccount(tx, id);
    if ((await repo.findPersonIds(tx, [personId])).size === 0) {
      throw new AppError('person.not_found', 'No such person', [
        { path: 'personId', message: 'Choose a person of the directory' },
      ]);
    }
    await tx
      .updateTable('system_accounts')
      .set({ person_id: personId, link_method: 'manual', auto_link_disabled: false })
      .where('id', '=', id)
      .execute();
    const changes = { personId: { from: current.person_id, to: personId }, method: 'manual' };
    await repo.insertChanges(
      tx,
      { orgId: uow.orgId, systemId: current.system_id, syncId: null, now: new Date() },
      [{ account_id: id, kind: 'linked', changes }],
    );
    await audit({ action: 'account.linked', targetType: 'account', targetId: id, changes });
    await recordSystemsChecks(scope, uow.orgId);
    return readAccount(tx, id);
  });
}

/** Unlink an account from its person; automatic matching leaves it alone afterwards. */
export async function unlinkAccount(uow: UnitOfWork, id: string): Promise<AccountDetail> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const current = await lockAccount(tx, id);
    await tx
      .updateTable('system_accounts')
      .set({ person_id: null, link_method: null, auto_link_disabled: true })
      .where('id', '=', id)
      .execute();
    const changes = { personId: { from: current.person_id, to: null } };
    await repo.insertChanges(
      tx,
      { orgId: uow.orgId, systemId: current.system_id, syncId: null, now: new Date() },
      [{ account_id: id, kind: 'unlinked', changes }],
    );
    await audit({ action: 'account.unlinked', targetType: 'account', targetId: id, changes });
    await recordSystemsChecks(scope, uow.orgId);
    return readAccount(tx, id);
  });
}

/** A system's entitlement catalogue. */
export async function listSystemEntitlements(uow: UnitOfWork, systemId: string) {
  return uow.read(async (tx) => {
    if ((await repo.findSystemIds(tx, [systemId])).size === 0) {
      throw new AppError('system.not_found');
    }
    const rows = await repo.findSystemEntitlements(tx, systemId);
    return {
      items: rows.map((r) => ({
        kind: r.kind as 'role' | 'group' | 'privilege',
        name: r.name,
        privileged: r.privileged,
        accounts: r.accounts,
      })),
    };
  });
}
