import {
  lifecycleKinds,
  rolePermissions,
  roles,
  type Checklist,
  type ChecklistItem,
  type EmploymentType,
  type LifecycleKind,
  type LifecycleSettings,
  type LifecycleTemplate,
  type PersonStatus,
  type checklistDetailSchema,
  type checklistPageSchema,
  type checklistQuerySchema,
  type completeChecklistItemSchema,
  type lifecycleSummarySchema,
  type personLifecycleSchema,
  type updateLifecycleSettingsSchema,
  type updateLifecycleTemplateSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { recordCheckResultIn } from '../controls/index.ts';
import {
  deadlineHours,
  defaultSettings,
  defaultTemplates,
  deriveEvent,
  evaluateChecks,
  isChecklistNeeded,
  kindsCancelledBy,
  planItems,
  templateItemRecordSchema,
  type DerivedEvent,
  type DirectoryChange,
  type HeldAccount,
  type TemplateItem,
} from './lifecycle-rules.ts';
import * as repo from './lifecycle.repo.ts';

/** What lifecycle writes need of a write scope. */
export type LifecycleScope = Pick<WriteScope, 'tx' | 'audit'>;

/** The check keys of the annex control "Joiner, mover and leaver workflow". */
export const checkKeys = {
  leavers: 'people.leavers_deprovisioned',
  movers: 'people.movers_access_adjusted',
} as const;

/** The roles that may manage people: they close tasks and hear of overdue checklists. */
export const peopleManagerRoles = roles.filter((role) =>
  rolePermissions[role].includes('people.manage'),
);

function settingsOf(row: repo.SettingsRow | undefined): LifecycleSettings {
  return row
    ? {
        leaverDeadlineHours: row.leaver_deadline_hours,
        moverDeadlineHours: row.mover_deadline_hours,
        joinerDeadlineHours: row.joiner_deadline_hours,
      }
    : { ...defaultSettings };
}

function templateItemsOf(row: repo.TemplateRow): TemplateItem[] {
  const parsed = templateItemRecordSchema.array().safeParse(row.items);
  return parsed.success ? parsed.data : defaultTemplates[row.kind as LifecycleKind].items;
}

async function loadTemplates(tx: Tx): Promise<Map<LifecycleKind, LifecycleTemplate>> {
  return templatesOf(await repo.findTemplates(tx));
}

function templatesOf(rows: readonly repo.TemplateRow[]): Map<LifecycleKind, LifecycleTemplate> {
  const templates = new Map<LifecycleKind, LifecycleTemplate>();
  for (const kind of lifecycleKinds) {
    const row = rows.find((r) => r.kind === kind);
    templates.set(
      kind,
      row
        ? {
            kind,
            name: row.name,
            items: templateItemsOf(row),
            isCustomised: row.is_customised,
            updatedAt: row.updated_at.toISOString(),
          }
        : { kind, ...defaultTemplates[kind], isCustomised: false, updatedAt: null },
    );
  }
  return templates;
}

/** An event to open, with the directory change it came from. */
interface EventToOpen extends DerivedEvent {
  changeSeq: string | null;
}

/** What opening checklists reads first. */
interface OpeningFacts {
  people: Map<string, repo.PersonForEvents>;
  settings: LifecycleSettings;
  templates: Map<LifecycleKind, LifecycleTemplate>;
  accounts: (HeldAccount & { personId: string })[];
}

/** Read, in one round trip, everything opening checklists for these people needs. */
async function readOpeningFacts(
  tx: Tx,
  ids: readonly string[],
  leaverIds: readonly string[],
): Promise<OpeningFacts> {
  const [people, configuration, accounts] = await Promise.all([
    repo.findPeopleForEvents(tx, ids),
    repo.findConfiguration(tx),
    repo.findActiveAccounts(tx, leaverIds),
  ]);
  return {
    people: new Map(people.map((p) => [p.id, p])),
    settings: settingsOf(configuration.settings),
    templates: templatesOf(configuration.templates),
    accounts,
  };
}

/**
 * Open checklists for events (skipping those the person's open work makes redundant), cancel the
 * checklists an event ends, and audit it all. Returns the checklists opened.
 */
async function openChecklists(
  scope: LifecycleScope,
  orgId: string,
  events: readonly EventToOpen[],
  now: Date,
  read?: OpeningFacts,
): Promise<{ id: string; kind: LifecycleKind; personId: string }[]> {
  const { tx, audit } = scope;
  if (events.length === 0) return [];
  const { people, settings, templates, accounts } =
    read ??
    (await readOpeningFacts(
      tx,
      [...new Set(events.map((e) => e.personId))],
      [...new Set(events.filter((e) => e.kind === 'leaver').map((e) => e.personId))],
    ));
  // Plan in memory, in event order, then write in waves: the n-th opening event of each person
  // goes in wave n, so a wave holds one event per person and is written by one statement.
  const waves: repo.ChecklistToOpen[][] = [];
  const waveOf = new Map<string, number>();
  const work = new Map(
    [...people.values()].map((p) => [
      p.id,
      { kinds: new Set(p.open_kinds), hasLeftSinceJoining: p.last_stay_event === 'leaver' },
    ]),
  );
  for (const event of events) {
    const person = people.get(event.personId);
    const open = work.get(event.personId);
    if (!person || !open || !isChecklistNeeded(event, open)) continue;
    // Only kinds the person has open: most events (every new person) then cancel nothing.
    const cancelKinds = kindsCancelledBy(event.kind).filter((kind) => open.kinds.has(kind));
    for (const kind of cancelKinds) open.kinds.delete(kind);
    const wave = waveOf.get(event.personId) ?? 0;
    waveOf.set(event.personId, wave + 1);
    (waves[wave] ??= []).push({
      personId: event.personId,
      kind: event.kind,
      changeSeq: event.changeSeq,
      reason: event.reason,
      details: event.details,
      dueAt: new Date(now.getTime() + deadlineHours(settings, event.kind) * 3_600_000),
      cancelKinds,
      cancelReason: event.kind === 'leaver' ? 'The person left' : 'The person returned',
      items: planItems(
        templates.get(event.kind)?.items ?? [],
        person.employment_type as EmploymentType | null,
        event.kind === 'leaver' ? accounts.filter((a) => a.personId === event.personId) : [],
      ),
    });
    open.kinds.add(event.kind);
    if (event.kind === 'leaver') open.hasLeftSinceJoining = true;
    if (event.kind === 'joiner') open.hasLeftSinceJoining = false;
  }
  const opened: { id: string; kind: LifecycleKind; personId: string }[] = [];
  let cancelled = 0;
  for (const wave of waves) {
    const written = await repo.openChecklistsAtOnce(tx, orgId, wave, now);
    const because = new Map(wave.map((e) => [e.personId, e.kind]));
    for (const c of written.cancelled) {
      cancelled++;
      await audit({
        action: 'lifecycle.checklist_cancelled',
        targetType: 'lifecycle_checklist',
        targetId: c.id,
        changes: { personId: c.personId, because: because.get(c.personId) },
      });
    }
    for (const e of wave) {
      const id = written.opened.get(e.personId);
      if (id !== undefined) opened.push({ id, kind: e.kind, personId: e.personId });
    }
  }
  // Bulk imports open many checklists at once: one event names them instead of one each.
  if (opened.length > 0 && opened.length <= 20) {
    for (const c of opened) {
      await audit({
        action: 'lifecycle.checklist_opened',
        targetType: 'lifecycle_checklist',
        targetId: c.id,
        changes: { kind: c.kind, personId: c.personId },
      });
    }
  } else if (opened.length > 20) {
    await audit({
      action: 'lifecycle.checklists_opened',
      targetType: 'org',
      targetId: orgId,
      changes: {
        count: opened.length,
        byKind: Object.fromEntries(
          lifecycleKinds.map((k) => [k, opened.filter((c) => c.kind === k).length]),
        ),
      },
    });
  }
  if (cancelled > 0) await recordLifecycleChecks(scope, orgId, now);
  return opened;
}

/** Whether a change can call for an event whatever the person's status turns out to be. */
/** Whether a directory change may call for a lifecycle event, whatever the person's status. */
export function isEventPossible(change: DirectoryChange): boolean {
  return deriveEvent(change, 'active') !== null || deriveEvent(change, 'departed') !== null;
}

/**
 * Derive joiner, mover and leaver events from directory changes just recorded, in the same
 * transaction, and open their checklists. The people, CSV and SCIM writers call it.
 */
export async function deriveFromPersonChanges(
  scope: LifecycleScope,
  orgId: string,
  changes: readonly DirectoryChange[],
  now = new Date(),
): Promise<number> {
  // Most edits (a phone number, a display name) call for nothing: no need to read anything.
  const candidates = changes.filter(isEventPossible);
  if (candidates.length === 0) return 0;
  const ids = [...new Set(candidates.map((c) => c.personId))];
  // Whether an event is a leaver never depends on the status read, so their accounts can be
  // read in the same round trip as everything else.
  const leaverIds = [
    ...new Set(
      candidates.filter((c) => deriveEvent(c, 'active')?.kind === 'leaver').map((c) => c.personId),
    ),
  ];
  // One round trip: what derivation needs and what opening checklists needs, read together.
  const read = await readOpeningFacts(scope.tx, ids, leaverIds);
  const derived = candidates.flatMap((change) => {
    const status = read.people.get(change.personId)?.status as PersonStatus | undefined;
    const event = status ? deriveEvent(change, status) : null;
    return event ? [event] : [];
  });
  if (derived.length === 0) return 0;
  const opened = await openChecklists(
    scope,
    orgId,
    derived.map((e) => ({ ...e, changeSeq: read.people.get(e.personId)?.change_seq ?? null })),
    now,
    read,
  );
  return opened.length;
}

/** Open leaver checklists for people whose end date has come; returns how many opened. */
export async function deriveEndDatesReached(
  scope: LifecycleScope,
  orgId: string,
  today: string,
  now = new Date(),
): Promise<number> {
  const people = await repo.findPeopleReachingEndDate(scope.tx, today);
  const opened = await openChecklists(
    scope,
    orgId,
    people.map((p) => ({
      personId: p.id,
      kind: 'leaver' as const,
      reason: 'End date reached',
      details: { endDate: p.end_date },
      changeSeq: null,
    })),
    now,
  );
  return opened.length;
}

/** Record both annex checks (when the org declared them), only when their outcome changed. */
export async function recordLifecycleChecks(
  scope: LifecycleScope,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const overdue = await repo.findOverdueChecklists(scope.tx, now);
  const done = await repo.countDone(scope.tx);
  const outcome = evaluateChecks(
    overdue.map((c) => ({
      kind: c.kind as LifecycleKind,
      personName: c.person_name,
      dueAt: c.due_at,
      openItems: Number(c.open_items ?? 0),
    })),
    done,
  );
  const supplier = { userId: null, label: 'Steward lifecycle' };
  const observedAt = now.toISOString();
  await recordCheckResultIn(
    scope,
    orgId,
    supplier,
    checkKeys.leavers,
    { ...outcome.leavers, observedAt },
    { onlyIfChanged: true },
  );
  await recordCheckResultIn(
    scope,
    orgId,
    supplier,
    checkKeys.movers,
    { ...outcome.movers, observedAt },
    { onlyIfChanged: true },
  );
}

async function completeChecklistsOf(
  scope: LifecycleScope,
  checklistIds: readonly string[],
): Promise<number> {
  const closed = await repo.closeFinishedChecklists(scope.tx, [...new Set(checklistIds)]);
  for (const c of closed) {
    await scope.audit({
      action: 'lifecycle.checklist_completed',
      targetType: 'lifecycle_checklist',
      targetId: c.id,
      changes: { kind: c.kind, personId: c.person_id },
    });
  }
  return closed.length;
}

/**
 * After an account sync of a system (in its transaction): close the leaver items whose account
 * the sync shows disabled or removed, and list accounts it found active for people who left.
 */
export async function onAccountsSynced(
  scope: LifecycleScope,
  input: { orgId: string; systemId: string; syncId: string },
  now = new Date(),
): Promise<void> {
  const { tx, audit } = scope;
  const closable = await repo.findItemsClosedBySync(tx, input.systemId);
  for (const item of closable) {
    await repo.closeItem(tx, item.id, {
      status: 'done',
      closed_by_user_id: null,
      closed_by: 'Account sync',
      closed_via: 'sync',
      evidence_id: null,
      sync_id: input.syncId,
      note: `The sync shows the account ${item.account_status}`,
    });
    await audit({
      action: 'lifecycle.item_completed',
      targetType: 'lifecycle_item',
      targetId: item.id,
      changes: {
        checklistId: item.checklist_id,
        via: 'sync',
        syncId: input.syncId,
        accountStatus: item.account_status,
      },
    });
  }
  const unlisted = await repo.findUnlistedLeaverAccounts(tx, input.systemId);
  const byChecklist = new Map<string, typeof unlisted>();
  for (const account of unlisted) {
    byChecklist.set(account.checklist_id, [
      ...(byChecklist.get(account.checklist_id) ?? []),
      account,
    ]);
  }
  const templates = byChecklist.size > 0 ? await loadTemplates(tx) : null;
  const description =
    templates?.get('leaver')?.items.find((i) => i.type === 'disable_accounts')?.description ?? '';
  for (const [checklistId, accounts] of byChecklist) {
    const items = planItems(
      [{ title: '', description, type: 'disable_accounts', employmentTypes: [] }],
      null,
      accounts.map((a) => ({
        id: a.id,
        systemId: a.system_id,
        systemName: a.system_name,
        username: a.username,
        email: a.email,
      })),
    );
    await repo.insertItems(
      tx,
      input.orgId,
      checklistId,
      items,
      await repo.findNextPosition(tx, checklistId),
    );
    await audit({
      action: 'lifecycle.checklist_opened',
      targetType: 'lifecycle_checklist',
      targetId: checklistId,
      changes: { accountsAdded: accounts.map((a) => a.id), syncId: input.syncId },
    });
  }
  if (closable.length === 0 && unlisted.length === 0) return;
  await completeChecklistsOf(
    scope,
    closable.map((i) => i.checklist_id),
  );
  await recordLifecycleChecks(scope, input.orgId, now);
}

function toChecklist(row: repo.ChecklistRow, now: Date): Checklist {
  return {
    id: row.id,
    kind: row.kind as LifecycleKind,
    status: row.status as Checklist['status'],
    person: {
      id: row.person_id,
      displayName: row.person_name,
      email: row.person_email,
      department: row.person_department,
      status: row.person_status as PersonStatus,
    },
    reason: row.reason,
    details: row.details,
    openedAt: row.opened_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    isOverdue: row.status === 'open' && row.due_at < now,
    itemCount: Number(row.item_count),
    openItemCount: Number(row.open_item_count),
  };
}

/**
 * Whether a caller may close an item: account items by the system's owner (or, for a system
 * without one, by someone who manages people); other items by someone who manages people.
 */
export function canCloseItem(
  identity: Pick<Identity, 'userId' | 'role'>,
  item: Pick<repo.ItemDetailRow, 'item_type' | 'system_owner_user_id' | 'status'>,
): boolean {
  if (item.status !== 'open') return false;
  const isManager = rolePermissions[identity.role].includes('people.manage');
  if (item.item_type === 'account') {
    return item.system_owner_user_id === null
      ? isManager
      : item.system_owner_user_id === identity.userId;
  }
  return isManager;
}

function toItem(row: repo.ItemDetailRow, canClose: boolean): ChecklistItem {
  return {
    id: row.id,
    checklistId: row.checklist_id,
    position: row.position,
    type: row.item_type as ChecklistItem['type'],
    title: row.title,
    description: row.description,
    status: row.status as ChecklistItem['status'],
    system: row.system_id ? { id: row.system_id, name: row.system_name ?? '' } : null,
    account: row.account_id
      ? { id: row.account_id, username: row.account_username, email: row.account_email }
      : null,
    canClose,
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    closedBy: row.closed_by,
    closedVia: row.closed_via as ChecklistItem['closedVia'],
    evidenceId: row.evidence_id,
    note: row.note,
  };
}

function encodeCursor(row: repo.ChecklistRow): string {
  return Buffer.from(JSON.stringify([row.opened_at.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { openedAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return { openedAt: new Date(value[0]), id: value[1] };
    }
  } catch {
    // Fall through: a cursor that does not decode is the client's mistake.
  }
  throw new AppError('request.invalid', 'The cursor is not valid', [
    { path: 'cursor', message: 'Use the nextCursor of the previous page' },
  ]);
}

/** A page of checklists. */
export async function listChecklists(
  uow: UnitOfWork,
  query: z.output<typeof checklistQuerySchema>,
  now = new Date(),
): Promise<z.output<typeof checklistPageSchema>> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await uow.read((tx) =>
    repo.findChecklistPage(tx, query, after, query.limit + 1, now),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toChecklist(r, now)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/** One checklist with its items. */
export async function getChecklist(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  now = new Date(),
): Promise<z.output<typeof checklistDetailSchema>> {
  return uow.read(async (tx) => {
    const row = await repo.findChecklist(tx, id);
    if (!row) throw new AppError('lifecycle.checklist_not_found');
    const items = await repo.findItems(tx, id);
    const isOpen = row.status === 'open';
    return {
      checklist: toChecklist(row, now),
      items: items.map((i) => toItem(i, isOpen && canCloseItem(identity, i))),
    };
  });
}

/**
 * Close an item: done or not applicable. An account item is done only with evidence attached by
 * the system's owner (a sync closes it otherwise); not applicable needs a reason. The checklist
 * completes with its last item, and the annex checks follow.
 */
export async function completeItem(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  input: z.output<typeof completeChecklistItemSchema>,
  now = new Date(),
): Promise<ChecklistItem> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const item = await repo.findItemForUpdate(tx, id);
    if (!item) throw new AppError('lifecycle.item_not_found');
    const checklist = await repo.findChecklist(tx, item.checklist_id);
    if (item.status !== 'open' || checklist?.status !== 'open') {
      throw new AppError('lifecycle.item_closed');
    }
    if (!canCloseItem(identity, item)) {
      if (item.item_type === 'account') throw new AppError('lifecycle.not_system_owner');
      throw new AppError('auth.forbidden', 'Closing this item needs the people.manage permission');
    }
    const note = input.note && input.note.length > 0 ? input.note : null;
    if (input.outcome === 'not_applicable' && note === null) {
      throw new AppError('request.invalid', 'Say why the item does not apply', [
        { path: 'note', message: 'Give the reason' },
      ]);
    }
    if (item.item_type === 'account' && input.outcome === 'done' && !input.evidenceId) {
      throw new AppError('lifecycle.evidence_required', undefined, [
        { path: 'evidenceId', message: 'Attach evidence that the account is disabled' },
      ]);
    }
    if (input.evidenceId && !(await repo.isEvidencePresent(tx, input.evidenceId))) {
      throw new AppError('request.invalid', 'No such evidence', [
        { path: 'evidenceId', message: 'No such evidence' },
      ]);
    }
    const evidenceId = input.evidenceId ?? null;
    await repo.closeItem(tx, id, {
      status: input.outcome,
      closed_by_user_id: identity.userId,
      closed_by: uow.actor.label ?? identity.label,
      closed_via: evidenceId ? 'evidence' : 'manual',
      evidence_id: evidenceId,
      sync_id: null,
      note,
    });
    await audit({
      action: 'lifecycle.item_completed',
      targetType: 'lifecycle_item',
      targetId: id,
      changes: {
        checklistId: item.checklist_id,
        outcome: input.outcome,
        via: evidenceId ? 'evidence' : 'manual',
        evidenceId,
        note,
      },
    });
    await completeChecklistsOf(scope, [item.checklist_id]);
    if (checklist.kind !== 'joiner') await recordLifecycleChecks(scope, uow.orgId, now);
    const updated = await repo.findItem(tx, id);
    if (!updated) throw new AppError('lifecycle.item_not_found');
    return toItem(updated, false);
  });
}

/** Open and overdue checklists by kind. */
export async function getSummary(
  uow: UnitOfWork,
  now = new Date(),
): Promise<z.output<typeof lifecycleSummarySchema>> {
  const rows = await uow.read((tx) => repo.countOpen(tx, now));
  const open = { joiner: 0, mover: 0, leaver: 0 };
  const overdue = { joiner: 0, mover: 0, leaver: 0 };
  let overdueItems = 0;
  for (const row of rows) {
    const kind = row.kind as LifecycleKind;
    open[kind] = Number(row.open);
    overdue[kind] = Number(row.overdue);
    overdueItems += Number(row.overdue_items);
  }
  return { open, overdue, overdueItems };
}

/** The org's templates, one per kind. */
export async function listTemplates(uow: UnitOfWork): Promise<{ items: LifecycleTemplate[] }> {
  const templates = await uow.read(loadTemplates);
  return { items: lifecycleKinds.map((k) => templates.get(k)).filter((t) => t !== undefined) };
}

/** Replace the template of a kind; open checklists keep the items they opened with. */
export async function updateTemplate(
  uow: UnitOfWork,
  kind: LifecycleKind,
  input: z.output<typeof updateLifecycleTemplateSchema>,
): Promise<LifecycleTemplate> {
  const disableItems = input.items.filter((i) => i.type === 'disable_accounts');
  if (kind !== 'leaver' && disableItems.length > 0) {
    const index = input.items.findIndex((i) => i.type === 'disable_accounts');
    throw new AppError('request.invalid', 'Only the leaver template disables accounts', [
      { path: `items.${String(index)}.type`, message: 'Use a task or an access review' },
    ]);
  }
  if (disableItems.length > 1) {
    const index = input.items.findLastIndex((i) => i.type === 'disable_accounts');
    throw new AppError('request.invalid', 'List the accounts once', [
      { path: `items.${String(index)}.type`, message: 'Only one item may disable accounts' },
    ]);
  }
  return uow.write(async ({ tx, audit }) => {
    const before = (await loadTemplates(tx)).get(kind);
    const row = await repo.upsertTemplate(tx, {
      org_id: uow.orgId,
      kind,
      name: input.name,
      items: input.items,
    });
    await audit({
      action: 'lifecycle.template_updated',
      targetType: 'lifecycle_template',
      targetId: row.id,
      changes: {
        kind,
        name: { from: before?.name ?? null, to: input.name },
        items: { from: before?.items.length ?? 0, to: input.items.length },
      },
    });
    return {
      kind,
      name: row.name,
      items: templateItemsOf(row),
      isCustomised: true,
      updatedAt: row.updated_at.toISOString(),
    };
  });
}

/** The org's deadlines. */
export async function getSettings(uow: UnitOfWork): Promise<LifecycleSettings> {
  return settingsOf(await uow.read(repo.findSettings));
}

/** Change the org's deadlines; checklists opened from now on use them. */
export async function updateSettings(
  uow: UnitOfWork,
  input: z.output<typeof updateLifecycleSettingsSchema>,
): Promise<LifecycleSettings> {
  return uow.write(async ({ tx, audit }) => {
    const before = settingsOf(await repo.findSettings(tx));
    const after = { ...before, ...input };
    await repo.upsertSettings(tx, {
      org_id: uow.orgId,
      leaver_deadline_hours: after.leaverDeadlineHours,
      mover_deadline_hours: after.moverDeadlineHours,
      joiner_deadline_hours: after.joinerDeadlineHours,
    });
    await audit({
      action: 'lifecycle.settings_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { before, after },
    });
    return after;
  });
}

/** A person's checklists and accounts. */
export async function getPersonLifecycle(
  uow: UnitOfWork,
  personId: string,
  now = new Date(),
): Promise<z.output<typeof personLifecycleSchema>> {
  return uow.read(async (tx) => {
    const facts = await repo.findPeopleFacts(tx, [personId]);
    if (facts.length === 0) throw new AppError('person.not_found');
    const checklists = await repo.findChecklistPage(
      tx,
      { status: 'all', personId },
      null,
      100,
      now,
    );
    const accounts = await repo.findAccountsOfPerson(tx, personId);
    return {
      checklists: checklists.map((c) => toChecklist(c, now)),
      accounts: accounts.map((a) => ({
        id: a.id,
        system: { id: a.system_id, name: a.system_name },
        username: a.username,
        email: a.email,
        status: a.status,
      })),
    };
  });
}
