import { sql, type Selectable, type Updateable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type {
  CustomersTable,
  SupportAccessDeliveriesTable,
  SupportAccessMappingsTable,
  SupportAccessRequestsTable,
  SupportAccessRulesTable,
  SupportAccessSystemsTable,
} from '../../platform/db/schema.ts';

/** A stored customer. */
export type CustomerRow = Selectable<CustomersTable>;

/** A stored system configuration. */
export type TargetRow = Selectable<SupportAccessSystemsTable>;

/** A stored customer mapping. */
export type MappingRow = Selectable<SupportAccessMappingsTable>;

/** A stored on-call rule. */
export type RuleRow = Selectable<SupportAccessRulesTable>;

/** A stored webhook delivery. */
export type DeliveryRow = Selectable<SupportAccessDeliveriesTable>;

/** A request with the names of its customer, system and requester. */
export type RequestRow = Selectable<SupportAccessRequestsTable> & {
  customer_name: string;
  customer_key: string;
  system_name: string;
  requester_name: string;
  requester_email: string;
};

/** The org's customers by name. */
export async function findCustomers(tx: Tx, id?: string): Promise<CustomerRow[]> {
  let q = tx
    .selectFrom('customers')
    .selectAll()
    .orderBy(sql`lower(name)`);
  if (id !== undefined) q = q.where('id', '=', id);
  return q.execute();
}

/** A customer with this name or key, other than `exceptId`. */
export async function findClashingCustomer(
  tx: Tx,
  name: string | undefined,
  key: string | undefined,
  exceptId?: string,
): Promise<CustomerRow | undefined> {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(name === undefined ? [] : [eb(sql`lower(name)`, '=', name.toLowerCase())]),
        ...(key === undefined ? [] : [eb('key', '=', key)]),
      ]),
    )
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst();
}

/** Insert a customer. */
export async function insertCustomer(
  tx: Tx,
  row: { id: string; org_id: string; name: string; key: string; notes: string | null },
): Promise<void> {
  await tx.insertInto('customers').values(row).execute();
}

/** Change a customer. */
export async function updateCustomer(
  tx: Tx,
  id: string,
  values: Updateable<CustomersTable>,
): Promise<void> {
  await tx
    .updateTable('customers')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The org's duration limits, or the defaults. */
export async function findSettings(
  tx: Tx,
): Promise<{ defaultDurationMinutes: number; maxDurationMinutes: number }> {
  const row = await tx
    .selectFrom('support_access_settings')
    .select(['default_duration_minutes', 'max_duration_minutes'])
    .executeTakeFirst();
  return {
    defaultDurationMinutes: row?.default_duration_minutes ?? 240,
    maxDurationMinutes: row?.max_duration_minutes ?? 480,
  };
}

/** Store the org's duration limits. */
export async function upsertSettings(
  tx: Tx,
  orgId: string,
  values: { defaultDurationMinutes: number; maxDurationMinutes: number },
): Promise<void> {
  const row = {
    default_duration_minutes: values.defaultDurationMinutes,
    max_duration_minutes: values.maxDurationMinutes,
    updated_at: new Date(),
  };
  await tx
    .insertInto('support_access_settings')
    .values({ org_id: orgId, ...row })
    .onConflict((oc) => oc.column('org_id').doUpdateSet(row))
    .execute();
}

/** Systems that are not retired, by name, with their support access configuration if any. */
export async function findSystemsWithTargets(
  tx: Tx,
  systemId?: string,
): Promise<
  {
    id: string;
    name: string;
    connector_kind: string | null;
    holds_customer_data: boolean;
    retired_at: Date | null;
    connector_settings: Record<string, unknown>;
    target: TargetRow | null;
  }[]
> {
  let q = tx
    .selectFrom('systems as s')
    .leftJoin('support_access_systems as t', 't.system_id', 's.id')
    .select([
      's.id',
      's.name',
      's.connector_kind',
      's.holds_customer_data',
      's.retired_at',
      's.connector_settings',
      't.mode',
      't.grant_user',
      't.grant_secret_sealed',
      't.connection_limit',
      't.webhook_url',
      't.webhook_secret_sealed',
      't.updated_at',
      't.org_id',
      't.system_id',
    ])
    .orderBy(sql`lower(s.name)`);
  q = systemId === undefined ? q.where('s.retired_at', 'is', null) : q.where('s.id', '=', systemId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    connector_kind: r.connector_kind,
    holds_customer_data: r.holds_customer_data,
    retired_at: r.retired_at,
    connector_settings: r.connector_settings,
    target:
      r.mode === null || r.org_id === null || r.system_id === null
        ? null
        : {
            org_id: r.org_id,
            system_id: r.system_id,
            mode: r.mode,
            grant_user: r.grant_user,
            grant_secret_sealed: r.grant_secret_sealed,
            connection_limit: r.connection_limit ?? 2,
            webhook_url: r.webhook_url,
            webhook_secret_sealed: r.webhook_secret_sealed,
            updated_at: r.updated_at ?? new Date(0),
          },
  }));
}

/** The mappings of some systems with their customers' names. */
export async function findMappings(
  tx: Tx,
  systemIds: readonly string[],
): Promise<(MappingRow & { customer_name: string; customer_key: string })[]> {
  if (systemIds.length === 0) return [];
  return tx
    .selectFrom('support_access_mappings as m')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .selectAll('m')
    .select(['c.name as customer_name', 'c.key as customer_key'])
    .where('m.system_id', 'in', systemIds)
    .orderBy(sql`lower(c.name)`)
    .execute();
}

/** The mapping of one customer on one system. */
export async function findMapping(
  tx: Tx,
  systemId: string,
  customerId: string,
): Promise<MappingRow | undefined> {
  return tx
    .selectFrom('support_access_mappings')
    .selectAll()
    .where('system_id', '=', systemId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

/** Which of these customers exist. */
export async function findCustomerIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('customers').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Store a system's configuration and replace its mappings. */
export async function saveTarget(
  tx: Tx,
  target: Omit<TargetRow, 'updated_at'>,
  mappings: readonly Omit<MappingRow, 'org_id' | 'system_id'>[],
): Promise<void> {
  const values = { ...target, updated_at: new Date() };
  await tx
    .insertInto('support_access_systems')
    .values(values)
    .onConflict((oc) => oc.columns(['org_id', 'system_id']).doUpdateSet(values))
    .execute();
  await tx
    .deleteFrom('support_access_mappings')
    .where('system_id', '=', target.system_id)
    .execute();
  if (mappings.length > 0) {
    await tx
      .insertInto('support_access_mappings')
      .values(mappings.map((m) => ({ ...m, org_id: target.org_id, system_id: target.system_id })))
      .execute();
  }
}

/** Active users among these ids, with names. */
export async function findUsers(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, { id: string; name: string; email: string; status: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'name', 'email', 'status'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The org's on-call rules. */
export async function findRules(tx: Tx, id?: string): Promise<RuleRow[]> {
  let q = tx
    .selectFrom('support_access_rules')
    .selectAll()
    .orderBy(sql`lower(name)`);
  if (id !== undefined) q = q.where('id', '=', id);
  return q.execute();
}

/** Insert or replace an on-call rule. */
export async function saveRule(
  tx: Tx,
  row: Omit<RuleRow, 'created_at' | 'updated_at'>,
): Promise<void> {
  const values = { ...row, updated_at: new Date() };
  await tx
    .insertInto('support_access_rules')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** Remove an on-call rule. */
export async function deleteRule(tx: Tx, id: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('support_access_rules')
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

function selectRequests(tx: Tx) {
  return tx
    .selectFrom('support_access_requests as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('systems as s', 's.id', 'r.system_id')
    .innerJoin('users as u', 'u.id', 'r.requester_user_id')
    .selectAll('r')
    .select([
      'c.name as customer_name',
      'c.key as customer_key',
      's.name as system_name',
      'u.name as requester_name',
      'u.email as requester_email',
    ]);
}

/** Filters of the request list. */
export interface RequestFilter {
  status?: string | undefined;
  stage?: 'pending' | 'live' | 'ended' | undefined;
  customerId?: string | undefined;
  systemId?: string | undefined;
  requesterUserId?: string | undefined;
  limit: number;
}

/** Requests, newest first. */
export async function findRequests(tx: Tx, filter: RequestFilter): Promise<RequestRow[]> {
  let q = selectRequests(tx).orderBy('r.created_at', 'desc').limit(filter.limit);
  if (filter.status !== undefined) q = q.where('r.status', '=', filter.status);
  if (filter.stage === 'pending') q = q.where('r.status', '=', 'pending');
  if (filter.stage === 'live') q = q.where('r.status', 'in', ['approved', 'active']);
  if (filter.stage === 'ended') {
    q = q.where('r.status', 'not in', ['pending', 'approved', 'active']);
  }
  if (filter.customerId !== undefined) q = q.where('r.customer_id', '=', filter.customerId);
  if (filter.systemId !== undefined) q = q.where('r.system_id', '=', filter.systemId);
  if (filter.requesterUserId !== undefined) {
    q = q.where('r.requester_user_id', '=', filter.requesterUserId);
  }
  return q.execute();
}

/** Every request for a customer's data, oldest first (the access report). */
export async function findCustomerRequests(tx: Tx, customerId: string): Promise<RequestRow[]> {
  return selectRequests(tx)
    .where('r.customer_id', '=', customerId)
    .orderBy('r.created_at', 'asc')
    .execute();
}

/** One request; `lock` holds it until the transaction ends. */
export async function findRequest(
  tx: Tx,
  id: string,
  lock = false,
): Promise<RequestRow | undefined> {
  if (lock) {
    await tx
      .selectFrom('support_access_requests')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .execute();
  }
  return selectRequests(tx).where('r.id', '=', id).executeTakeFirst();
}

/** Insert a request. */
export async function insertRequest(
  tx: Tx,
  row: {
    id: string;
    org_id: string;
    customer_id: string;
    system_id: string;
    requester_user_id: string;
    reason: string;
    ticket_ref: string;
    level: string;
    duration_minutes: number;
    mechanism: string;
  },
): Promise<void> {
  await tx.insertInto('support_access_requests').values(row).execute();
}

/** Change a request. */
export async function updateRequest(
  tx: Tx,
  id: string,
  values: Updateable<SupportAccessRequestsTable>,
): Promise<void> {
  await tx
    .updateTable('support_access_requests')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Enabled on-call rules naming this user. */
export async function findRulesForUser(tx: Tx, userId: string): Promise<RuleRow[]> {
  return tx
    .selectFrom('support_access_rules')
    .selectAll()
    .where('enabled', '=', true)
    .where(sql<boolean>`${userId}::uuid = ANY(user_ids)`)
    .orderBy('created_at')
    .execute();
}

/** Live requests whose window has ended. */
export async function findDueRequests(tx: Tx, now: Date): Promise<{ id: string }[]> {
  return tx
    .selectFrom('support_access_requests')
    .select('id')
    .where('status', 'in', ['approved', 'active'])
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .execute();
}

/** Ended PostgreSQL grants whose role is not yet dropped on the system. */
export async function findUnrevokedRequests(tx: Tx): Promise<{ id: string }[]> {
  return tx
    .selectFrom('support_access_requests')
    .select('id')
    .where('mechanism', '=', 'postgresql')
    .where('revoked_on_system_at', 'is', null)
    .where('grant_username', 'is not', null)
    .where('status', 'in', ['expired', 'released', 'revoked', 'failed'])
    .execute();
}

/** The webhook deliveries of a request, in order. */
export async function findDeliveries(tx: Tx, requestId: string): Promise<DeliveryRow[]> {
  return tx
    .selectFrom('support_access_deliveries')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('attempted_at')
    .orderBy('attempt')
    .execute();
}

/** How many attempts an event of a request had. */
export async function countAttempts(
  tx: Tx,
  requestId: string,
  event: 'grant' | 'revoke',
): Promise<number> {
  const row = await tx
    .selectFrom('support_access_deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('request_id', '=', requestId)
    .where('event', '=', event)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Record a webhook attempt. */
export async function insertDelivery(
  tx: Tx,
  row: Omit<DeliveryRow, 'id' | 'attempted_at'> & { attempted_at: Date },
): Promise<string> {
  const inserted = await tx
    .insertInto('support_access_deliveries')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Figures the annex checks read, over grants that began since `since`. */
export async function readCheckFigures(
  tx: Tx,
  since: Date,
  now: Date,
  graceMs: number,
): Promise<{
  granted: number;
  unapproved: { id: string; ticket_ref: string }[];
  overrun: { id: string; ticket_ref: string }[];
}> {
  const granted = await tx
    .selectFrom('support_access_requests')
    .select([
      'id',
      'ticket_ref',
      'decided_at',
      'decided_by_user_id',
      'auto_rule_name',
      'granted_at',
      'requester_user_id',
    ])
    .where('granted_at', '>=', since)
    .execute();
  const unapproved = granted.filter(
    (r) =>
      r.decided_at === null ||
      (r.granted_at !== null && r.decided_at.getTime() > r.granted_at.getTime()) ||
      (r.decided_by_user_id === null && r.auto_rule_name === null) ||
      r.decided_by_user_id === r.requester_user_id,
  );
  const limit = new Date(now.getTime() - graceMs);
  const overrun = await tx
    .selectFrom('support_access_requests')
    .select(['id', 'ticket_ref'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['approved', 'active']), eb('expires_at', '<=', limit)]),
        eb.and([
          // Granted on the system (a role created, or a webhook grant acknowledged)...
          eb.or([eb('grant_username', 'is not', null), eb('granted_at', 'is not', null)]),
          // ...and not yet seen removed there.
          eb('revoked_on_system_at', 'is', null),
          eb('status', 'in', ['expired', 'released', 'revoked']),
          eb('ended_at', '<=', limit),
        ]),
      ]),
    )
    .execute();
  return {
    granted: granted.length,
    unapproved: unapproved.map((r) => ({ id: r.id, ticket_ref: r.ticket_ref })),
    overrun,
  };
}

/** The open evidence task of a key, if the org has it. */
export async function findTask(tx: Tx, key: string): Promise<string | undefined> {
  const result = await sql<{ id: string }>`
    SELECT id FROM evidence_tasks WHERE key = ${key} AND is_active ORDER BY created_at LIMIT 1`.execute(
    tx,
  );
  return result.rows[0]?.id;
}
