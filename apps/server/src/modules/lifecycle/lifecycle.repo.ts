import type { LifecycleKind } from '@steward/contracts';
import { sql, type Selectable } from 'kysely';
import { executePrepared, type Tx } from '../../platform/db/pools.ts';
import type {
  LifecycleItemsTable,
  LifecycleSettingsTable,
  LifecycleTemplatesTable,
} from '../../platform/db/schema.ts';
import type { HeldAccount, PlannedItem } from './lifecycle-rules.ts';

/** A settings row. */
export type SettingsRow = Selectable<LifecycleSettingsTable>;

/** A template row. */
export type TemplateRow = Selectable<LifecycleTemplatesTable>;

/** An item row. */
export type ItemRow = Selectable<LifecycleItemsTable>;

/** The org's lifecycle settings, when it changed them. */
export async function findSettings(tx: Tx): Promise<SettingsRow | undefined> {
  const query = tx.selectFrom('lifecycle_settings').selectAll().compile();
  return (await executePrepared(tx, query)).rows[0];
}

/** Store the org's lifecycle settings. */
export async function upsertSettings(
  tx: Tx,
  values: {
    org_id: string;
    leaver_deadline_hours: number;
    mover_deadline_hours: number;
    joiner_deadline_hours: number;
  },
): Promise<void> {
  await tx
    .insertInto('lifecycle_settings')
    .values({ ...values, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        leaver_deadline_hours: values.leaver_deadline_hours,
        mover_deadline_hours: values.mover_deadline_hours,
        joiner_deadline_hours: values.joiner_deadline_hours,
        updated_at: new Date(),
      }),
    )
    .execute();
}

/** The org's stored templates. */
export async function findTemplates(tx: Tx): Promise<TemplateRow[]> {
  const query = tx.selectFrom('lifecycle_templates').selectAll().compile();
  return (await executePrepared(tx, query)).rows;
}

/** Store a template of a kind. */
export async function upsertTemplate(
  tx: Tx,
  values: { org_id: string; kind: LifecycleKind; name: string; items: unknown[] },
): Promise<TemplateRow> {
  const items = JSON.stringify(values.items);
  return tx
    .insertInto('lifecycle_templates')
    .values({ ...values, items, is_customised: true, updated_at: new Date() })
    .onConflict((oc) =>
      oc
        .columns(['org_id', 'kind'])
        .doUpdateSet({ name: values.name, items, is_customised: true, updated_at: new Date() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What derivation needs to know of a person. */
export interface PersonFacts {
  id: string;
  display_name: string;
  status: string;
  employment_type: string | null;
}

/** People by id, as derivation needs them. */
export async function findPeopleFacts(tx: Tx, ids: readonly string[]): Promise<PersonFacts[]> {
  if (ids.length === 0) return [];
  const query = tx
    .selectFrom('people')
    .select(['id', 'display_name', 'status', 'employment_type'])
    .where('id', '=', sql<string>`ANY(${ids}::uuid[])`)
    .compile();
  return (await executePrepared(tx, query)).rows;
}

/** What opening checklists for a person weighs: who they are and the work they have open. */
export interface PersonForEvents extends PersonFacts {
  /** Their latest directory change (the one just recorded in this transaction). */
  change_seq: string | null;
  /** Kinds of their open checklists. */
  open_kinds: LifecycleKind[];
  /** Their latest joiner or leaver event, if any. */
  last_stay_event: 'joiner' | 'leaver' | null;
}

/** People by id with their latest change and open lifecycle work, in one statement. */
export async function findPeopleForEvents(
  tx: Tx,
  ids: readonly string[],
): Promise<PersonForEvents[]> {
  if (ids.length === 0) return [];
  const query = sql<PersonForEvents>`
    SELECT p.id, p.display_name, p.status, p.employment_type,
           (SELECT max(c.seq) FROM person_changes c WHERE c.person_id = p.id) AS change_seq,
           ARRAY(SELECT DISTINCT l.kind FROM lifecycle_checklists l
                  WHERE l.person_id = p.id AND l.status = 'open') AS open_kinds,
           (SELECT e.kind FROM lifecycle_events e
             WHERE e.person_id = p.id AND e.kind IN ('joiner', 'leaver')
             ORDER BY e.occurred_at DESC LIMIT 1) AS last_stay_event
      FROM people p
     WHERE p.id = ANY (${ids}::uuid[])`.compile(tx);
  return (await executePrepared(tx, query)).rows;
}

/** The org's lifecycle settings (when it changed them) and stored templates, in one statement. */
export async function findConfiguration(
  tx: Tx,
): Promise<{ settings: SettingsRow | undefined; templates: TemplateRow[] }> {
  const query = sql<{ settings: SettingsRow | null; templates: TemplateRow[] }>`
    SELECT (SELECT to_jsonb(s) FROM lifecycle_settings s) AS settings,
           coalesce((SELECT jsonb_agg(to_jsonb(t)) FROM lifecycle_templates t), '[]') AS templates`.compile(
    tx,
  );
  const row = (await executePrepared(tx, query)).rows[0];
  const settings = row?.settings ?? undefined;
  return {
    // JSON carries times as text.
    settings: settings && { ...settings, updated_at: new Date(settings.updated_at) },
    templates: (row?.templates ?? []).map((t) => ({ ...t, updated_at: new Date(t.updated_at) })),
  };
}

/** Active accounts of people on the systems inventory (retired systems aside). */
export async function findActiveAccounts(
  tx: Tx,
  personIds: readonly string[],
): Promise<(HeldAccount & { personId: string })[]> {
  if (personIds.length === 0) return [];
  const rows = await tx
    .selectFrom('system_accounts as a')
    .innerJoin('systems as s', 's.id', 'a.system_id')
    .select([
      'a.id',
      'a.person_id',
      'a.system_id',
      's.name as system_name',
      'a.username',
      'a.email',
    ])
    .where('a.person_id', '=', sql<string>`ANY(${personIds}::uuid[])`)
    .where('a.status', '=', 'active')
    .where('s.retired_at', 'is', null)
    .orderBy('s.name')
    .orderBy('a.username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id ?? '',
    systemId: r.system_id,
    systemName: r.system_name,
    username: r.username,
    email: r.email,
  }));
}

/** Every account of a person, for their page. */
export async function findAccountsOfPerson(tx: Tx, personId: string) {
  return tx
    .selectFrom('system_accounts as a')
    .innerJoin('systems as s', 's.id', 'a.system_id')
    .select(['a.id', 'a.system_id', 's.name as system_name', 'a.username', 'a.email', 'a.status'])
    .where('a.person_id', '=', personId)
    .orderBy('s.name')
    .orderBy('a.username')
    .execute();
}

/** Add items to a checklist after its current last one. */
export async function insertItems(
  tx: Tx,
  orgId: string,
  checklistId: string,
  items: readonly PlannedItem[],
  firstPosition = 1,
): Promise<void> {
  if (items.length === 0) return;
  for (let i = 0; i < items.length; i += 500) {
    await tx
      .insertInto('lifecycle_items')
      .values(
        items.slice(i, i + 500).map((item, index) => ({
          org_id: orgId,
          checklist_id: checklistId,
          position: firstPosition + i + index,
          item_type: item.type,
          title: item.title,
          description: item.description,
          system_id: item.systemId,
          account_id: item.accountId,
        })),
      )
      .execute();
  }
}

/** A checklist to open with its event, for `openChecklistsAtOnce`. */
export interface ChecklistToOpen {
  personId: string;
  kind: LifecycleKind;
  changeSeq: string | null;
  reason: string;
  details: Record<string, unknown>;
  dueAt: Date;
  /** Kinds of the person's open checklists this event ends (only those open), and why. */
  cancelKinds: readonly LifecycleKind[];
  cancelReason: string;
  items: readonly PlannedItem[];
}

/**
 * In one statement: cancel the open checklists the events end, record the events, open their
 * checklists and add the items (at most one event per person, so rows pair up by person).
 * Returns the checklists cancelled and opened, with their person.
 */
export async function openChecklistsAtOnce(
  tx: Tx,
  orgId: string,
  events: readonly ChecklistToOpen[],
  now: Date,
): Promise<{ cancelled: { id: string; personId: string }[]; opened: Map<string, string> }> {
  const result = {
    cancelled: [] as { id: string; personId: string }[],
    opened: new Map<string, string>(),
  };
  if (events.length === 0) return result;
  const input = JSON.stringify(
    events.map((e) => ({
      person_id: e.personId,
      kind: e.kind,
      change_seq: e.changeSeq,
      reason: e.reason,
      details: e.details,
      due_at: e.dueAt.toISOString(),
      cancel_kinds: e.cancelKinds,
      cancel_reason: e.cancelReason,
      items: e.items.map((item, index) => ({
        position: index + 1,
        item_type: item.type,
        title: item.title,
        description: item.description,
        system_id: item.systemId,
        account_id: item.accountId,
      })),
    })),
  );
  const cancelling = events.filter((e) => e.cancelKinds.length > 0).map((e) => e.personId);
  // Two fixed shapes (each prepared once): the cancelling one looks the people's checklists up
  // by index; joined to the input instead, the planner would scan every checklist of the org.
  const cancelled =
    cancelling.length === 0
      ? sql`SELECT NULL::uuid AS id, NULL::uuid AS person_id WHERE false`
      : sql`
          UPDATE lifecycle_checklists c
             SET status = 'cancelled', closed_at = ${now}, cancel_reason = i.cancel_reason
            FROM input i
           WHERE c.person_id = ANY (${cancelling}::uuid[]) AND c.person_id = i.person_id
             AND c.status = 'open' AND c.kind = ANY (i.cancel_kinds)
          RETURNING c.id, c.person_id`;
  const query = sql<{ what: 'cancelled' | 'opened'; id: string; person_id: string }>`
    WITH input AS (
      SELECT x.person_id, x.kind, x.change_seq, x.reason, x.details, x.due_at, x.cancel_reason,
             x.items, ARRAY(SELECT jsonb_array_elements_text(x.cancel_kinds)) AS cancel_kinds
        FROM jsonb_to_recordset(${input}::jsonb) AS x(
               person_id uuid, kind text, change_seq bigint, reason text, details jsonb,
               due_at timestamptz, cancel_kinds jsonb, cancel_reason text, items jsonb)
    ), cancelled AS (${cancelled}), events AS (
      INSERT INTO lifecycle_events (org_id, person_id, kind, change_seq, reason, details)
      SELECT ${orgId}::uuid, person_id, kind, change_seq, reason, details FROM input
      RETURNING id, person_id
    ), checklists AS (
      INSERT INTO lifecycle_checklists (org_id, event_id, person_id, kind, due_at)
      SELECT ${orgId}::uuid, e.id, e.person_id, i.kind, i.due_at
        FROM events e JOIN input i ON i.person_id = e.person_id
      RETURNING id, person_id
    ), items AS (
      INSERT INTO lifecycle_items (org_id, checklist_id, position, item_type, title, description,
                                   system_id, account_id)
      SELECT ${orgId}::uuid, c.id, it.position, it.item_type, it.title, it.description,
             it.system_id, it.account_id
        FROM checklists c
        JOIN input i ON i.person_id = c.person_id
       CROSS JOIN LATERAL jsonb_to_recordset(i.items) AS it(
               position integer, item_type text, title text, description text, system_id uuid,
               account_id uuid)
    )
    SELECT 'cancelled' AS what, id, person_id FROM cancelled
    UNION ALL
    SELECT 'opened' AS what, id, person_id FROM checklists`.compile(tx);
  const { rows } = await executePrepared(tx, query);
  for (const row of rows) {
    if (row.what === 'cancelled') result.cancelled.push({ id: row.id, personId: row.person_id });
    else result.opened.set(row.person_id, row.id);
  }
  return result;
}

/** A checklist with its person, event and item counts. */
export interface ChecklistRow {
  id: string;
  kind: string;
  status: string;
  opened_at: Date;
  due_at: Date;
  closed_at: Date | null;
  person_id: string;
  person_name: string;
  person_email: string | null;
  person_department: string | null;
  person_status: string;
  reason: string;
  details: Record<string, unknown>;
  item_count: string;
  open_item_count: string;
}

function checklistQuery(tx: Tx) {
  return tx
    .selectFrom('lifecycle_checklists as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('lifecycle_events as e', 'e.id', 'c.event_id')
    .select([
      'c.id',
      'c.kind',
      'c.status',
      'c.opened_at',
      'c.due_at',
      'c.closed_at',
      'c.person_id',
      'p.display_name as person_name',
      'p.email as person_email',
      'p.department as person_department',
      'p.status as person_status',
      'e.reason',
      'e.details',
      (eb) =>
        eb
          .selectFrom('lifecycle_items as i')
          .select((x) => x.fn.countAll<string>().as('n'))
          .whereRef('i.checklist_id', '=', 'c.id')
          .as('item_count'),
      (eb) =>
        eb
          .selectFrom('lifecycle_items as i')
          .select((x) => x.fn.countAll<string>().as('n'))
          .whereRef('i.checklist_id', '=', 'c.id')
          .where('i.status', '=', 'open')
          .as('open_item_count'),
    ]);
}

/** Filters of the checklist list. */
export interface ChecklistFilter {
  status: 'open' | 'overdue' | 'done' | 'cancelled' | 'all';
  kind?: LifecycleKind | undefined;
  personId?: string | undefined;
}

/** A page of checklists, newest first. */
export async function findChecklistPage(
  tx: Tx,
  filter: ChecklistFilter,
  after: { openedAt: Date; id: string } | null,
  limit: number,
  now: Date,
): Promise<ChecklistRow[]> {
  let query = checklistQuery(tx);
  if (filter.status === 'overdue') {
    query = query.where('c.status', '=', 'open').where('c.due_at', '<', now);
  } else if (filter.status !== 'all') {
    query = query.where('c.status', '=', filter.status);
  }
  if (filter.kind) query = query.where('c.kind', '=', filter.kind);
  if (filter.personId) query = query.where('c.person_id', '=', filter.personId);
  if (after) {
    query = query.where(
      sql<boolean>`(c.opened_at, c.id) < (${after.openedAt}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await query
    .orderBy('c.opened_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows as ChecklistRow[];
}

/** One checklist. */
export async function findChecklist(tx: Tx, id: string): Promise<ChecklistRow | undefined> {
  const row = await checklistQuery(tx).where('c.id', '=', id).executeTakeFirst();
  return row as ChecklistRow | undefined;
}

/** An item with what it refers to. */
export interface ItemDetailRow extends ItemRow {
  system_name: string | null;
  system_owner_user_id: string | null;
  account_username: string | null;
  account_email: string | null;
}

function itemQuery(tx: Tx) {
  return tx
    .selectFrom('lifecycle_items as i')
    .leftJoin('systems as s', 's.id', 'i.system_id')
    .leftJoin('system_accounts as a', 'a.id', 'i.account_id')
    .selectAll('i')
    .select([
      's.name as system_name',
      's.owner_user_id as system_owner_user_id',
      'a.username as account_username',
      'a.email as account_email',
    ]);
}

/** Items of a checklist, in order. */
export async function findItems(tx: Tx, checklistId: string): Promise<ItemDetailRow[]> {
  return itemQuery(tx).where('i.checklist_id', '=', checklistId).orderBy('i.position').execute();
}

/** One item, locked for a change. */
export async function findItemForUpdate(tx: Tx, id: string): Promise<ItemDetailRow | undefined> {
  return itemQuery(tx).where('i.id', '=', id).forUpdate('i').executeTakeFirst();
}

/** One item. */
export async function findItem(tx: Tx, id: string): Promise<ItemDetailRow | undefined> {
  return itemQuery(tx).where('i.id', '=', id).executeTakeFirst();
}

/** Close an item. */
export async function closeItem(
  tx: Tx,
  id: string,
  values: {
    status: 'done' | 'not_applicable';
    closed_by_user_id: string | null;
    closed_by: string;
    closed_via: 'manual' | 'sync' | 'evidence';
    evidence_id: string | null;
    sync_id: string | null;
    note: string | null;
  },
): Promise<void> {
  await tx
    .updateTable('lifecycle_items')
    .set({ ...values, closed_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

/** Mark checklists done when none of their items is open; returns those closed. */
export async function closeFinishedChecklists(
  tx: Tx,
  ids: readonly string[],
): Promise<{ id: string; kind: string; person_id: string }[]> {
  if (ids.length === 0) return [];
  return tx
    .updateTable('lifecycle_checklists as c')
    .set({ status: 'done', closed_at: new Date() })
    .where('c.id', '=', sql<string>`ANY(${ids}::uuid[])`)
    .where('c.status', '=', 'open')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('lifecycle_items as i')
            .select('i.id')
            .whereRef('i.checklist_id', '=', 'c.id')
            .where('i.status', '=', 'open'),
        ),
      ),
    )
    .returning(['c.id', 'c.kind', 'c.person_id'])
    .execute();
}

/** Whether evidence exists in the org (and is not deleted). */
export async function isEvidencePresent(tx: Tx, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('evidence')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Open account items of a system whose account a sync shows disabled or removed. */
export async function findItemsClosedBySync(
  tx: Tx,
  systemId: string,
): Promise<{ id: string; checklist_id: string; account_id: string; account_status: string }[]> {
  const rows = await tx
    .selectFrom('lifecycle_items as i')
    .innerJoin('system_accounts as a', 'a.id', 'i.account_id')
    .select(['i.id', 'i.checklist_id', 'a.id as account_id', 'a.status as account_status'])
    .where('i.system_id', '=', systemId)
    .where('i.status', '=', 'open')
    .where('a.status', 'in', ['disabled', 'removed'])
    .execute();
  return rows.map((r) => ({ ...r, account_id: r.account_id }));
}

/**
 * Active accounts on a system held by people with an open leaver checklist that does not list
 * them yet (an account the inventory learned of after the person left).
 */
export async function findUnlistedLeaverAccounts(tx: Tx, systemId: string) {
  return tx
    .selectFrom('system_accounts as a')
    .innerJoin('systems as s', 's.id', 'a.system_id')
    .innerJoin('lifecycle_checklists as c', (join) =>
      join
        .onRef('c.person_id', '=', 'a.person_id')
        .on('c.kind', '=', 'leaver')
        .on('c.status', '=', 'open'),
    )
    .select([
      'a.id',
      'a.system_id',
      's.name as system_name',
      'a.username',
      'a.email',
      'c.id as checklist_id',
    ])
    .where('a.system_id', '=', systemId)
    .where('a.status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('lifecycle_items as i')
            .select('i.id')
            .whereRef('i.checklist_id', '=', 'c.id')
            .whereRef('i.account_id', '=', 'a.id'),
        ),
      ),
    )
    .execute();
}

/** The next free position of a checklist. */
export async function findNextPosition(tx: Tx, checklistId: string): Promise<number> {
  const row = await tx
    .selectFrom('lifecycle_items')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('checklist_id', '=', checklistId)
    .executeTakeFirst();
  return (row?.max ?? 0) + 1;
}

/** Open checklists past their deadline, with their open items. */
export async function findOverdueChecklists(tx: Tx, now: Date) {
  return tx
    .selectFrom('lifecycle_checklists as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.kind',
      'c.due_at',
      'c.overdue_notified_at',
      'p.display_name as person_name',
      (eb) =>
        eb
          .selectFrom('lifecycle_items as i')
          .select((x) => x.fn.countAll<string>().as('n'))
          .whereRef('i.checklist_id', '=', 'c.id')
          .where('i.status', '=', 'open')
          .as('open_items'),
    ])
    .where('c.status', '=', 'open')
    .where('c.due_at', '<', now)
    .orderBy('c.due_at')
    .execute();
}

/** Checklists of a kind completed so far. */
export async function countDone(tx: Tx): Promise<Record<'leaver' | 'mover', number>> {
  const rows = await tx
    .selectFrom('lifecycle_checklists')
    .select(['kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', '=', 'done')
    .groupBy('kind')
    .execute();
  const count = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
  return { leaver: count('leaver'), mover: count('mover') };
}

/** Open and overdue checklists by kind. */
export async function countOpen(tx: Tx, now: Date) {
  return tx
    .selectFrom('lifecycle_checklists as c')
    .select([
      'c.kind',
      (eb) => eb.fn.countAll<string>().as('open'),
      sql<string>`count(*) FILTER (WHERE c.due_at < ${now})`.as('overdue'),
      sql<string>`coalesce(sum((SELECT count(*) FROM lifecycle_items i WHERE i.checklist_id = c.id AND i.status = 'open')) FILTER (WHERE c.due_at < ${now}), 0)`.as(
        'overdue_items',
      ),
    ])
    .where('c.status', '=', 'open')
    .groupBy('c.kind')
    .execute();
}

/** Mark checklists as notified of being overdue. */
export async function markNotified(tx: Tx, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('lifecycle_checklists')
    .set({ overdue_notified_at: at })
    .where('id', '=', sql<string>`ANY(${ids}::uuid[])`)
    .execute();
}

/** Open items of overdue checklists, with who should act on each. */
export async function findOverdueItems(tx: Tx, checklistIds: readonly string[]) {
  if (checklistIds.length === 0) return [];
  return tx
    .selectFrom('lifecycle_items as i')
    .innerJoin('lifecycle_checklists as c', 'c.id', 'i.checklist_id')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('systems as s', 's.id', 'i.system_id')
    .leftJoin('users as u', 'u.id', 's.owner_user_id')
    .select([
      'i.id',
      'i.title',
      'c.id as checklist_id',
      'c.kind',
      'c.due_at',
      'p.display_name as person_name',
      'u.id as owner_id',
      'u.email as owner_email',
      'u.name as owner_name',
    ])
    .where('i.checklist_id', '=', sql<string>`ANY(${checklistIds}::uuid[])`)
    .where('i.status', '=', 'open')
    .orderBy('c.due_at')
    .orderBy('i.position')
    .execute();
}

/** Active users whose role may manage people (they hear of overdue checklists). */
export async function findPeopleManagers(tx: Tx, roles: readonly string[]) {
  return tx
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('status', '=', 'active')
    .where('role', 'in', [...roles])
    .orderBy('email')
    .execute();
}

/** The org's name, for mail. */
export async function findOrgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? 'Steward';
}

/** People whose end date has come and who have not left since they last joined. */
export async function findPeopleReachingEndDate(tx: Tx, today: string) {
  return tx
    .selectFrom('people as p')
    .select(['p.id', 'p.end_date'])
    .where('p.end_date', '<=', today)
    .where('p.status', '<>', 'departed')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('lifecycle_events as e')
            .select('e.id')
            .whereRef('e.person_id', '=', 'p.id')
            .where('e.kind', '=', 'leaver')
            .where((inner) =>
              inner.not(
                inner.exists(
                  inner
                    .selectFrom('lifecycle_events as j')
                    .select('j.id')
                    .whereRef('j.person_id', '=', 'p.id')
                    .where('j.kind', '=', 'joiner')
                    .whereRef('j.occurred_at', '>', 'e.occurred_at'),
                ),
              ),
            ),
        ),
      ),
    )
    .limit(5000)
    .execute();
}
