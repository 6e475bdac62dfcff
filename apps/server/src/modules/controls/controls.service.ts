import type {
  Control,
  ControlStatus,
  Evidence,
  Task,
  controlDetailSchema,
  controlFilterSchema,
  controlQuerySchema,
  createControlSchema,
  updateControlSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { MemoisedRead, OrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError, type FieldError } from '../../platform/errors/app-error.ts';
import { describeReferenceMappings } from '../frameworks/index.ts';
import { addDays, deriveTaskState, todayUtc } from './control-status.ts';
import * as pages from './control-page.repo.ts';
import { formatCsv } from './controls-csv.ts';
import { describePolicyStatus, describeRiskStatus } from './linked-records.ts';
import * as repo from './controls.repo.ts';
import { refreshControlStatuses } from './status-refresh.ts';

/** A control with everything that proves it. */
export type ControlDetail = z.infer<typeof controlDetailSchema>;

/** Filters, order and page of the control list. */
export type ControlQuery = z.output<typeof controlQuerySchema>;

/** Filters of the control list's CSV export. */
export type ControlFilterQuery = z.output<typeof controlFilterSchema>;

/** A page of the control list as the API answers it. */
export interface ControlList {
  items: Control[];
  asOf: string | null;
  total: number;
  nextCursor: string | null;
}

/** Days of status history a control page shows. */
export const historyDays = 90;

function toFilters(query: ControlFilterQuery): repo.ControlFilters {
  return {
    status: query.status,
    section: query.section,
    ownerId: query.ownerId,
    frameworkId: query.frameworkId,
    q: query.q,
    asOf: query.asOf,
    includeArchived: query.includeArchived,
  };
}

function badCursor(): AppError {
  return new AppError('request.invalid', 'The cursor does not continue this list', [
    {
      path: 'cursor',
      message: 'Use the nextCursor of the previous page, with the same filters and order',
    },
  ]);
}

/** The cursor continuing a list after a row with this sort key. */
export function encodeControlCursor(query: ControlQuery, key: readonly string[]): string {
  return Buffer.from(JSON.stringify({ s: query.sort, o: query.order, k: key })).toString(
    'base64url',
  );
}

/** The sort key a cursor continues after; refused (naming `cursor`) when it is not one of ours. */
export function decodeControlCursor(query: ControlQuery, cursor: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const { s, o, k } = (parsed ?? {}) as { s?: unknown; o?: unknown; k?: unknown };
  if (s !== query.sort || o !== query.order || !Array.isArray(k)) throw badCursor();
  if (!pages.isValidSortKey(query.sort, k)) throw badCursor();
  return k as string[];
}

/**
 * One page of the controls matching the filters, in the asked order (by section and reference
 * unless told otherwise), with the total and the cursor of the next page; reused from `memo`
 * until the org next changes. No value when `ifNoneMatch` names the current one.
 */
export async function listControls(
  uow: UnitOfWork,
  query: ControlQuery,
  memo: OrgReadMemo<ControlList>,
  ifNoneMatch?: string,
): Promise<MemoisedRead<ControlList>> {
  const after = query.cursor === undefined ? undefined : decodeControlCursor(query, query.cursor);
  // The page depends on the org's rows and the query only (asOf is a day named in the query).
  return memo.read(uow, `controls ${JSON.stringify(query)}`, ifNoneMatch, async (tx) => {
    const page = await pages.findControlPage(tx, {
      filters: toFilters(query),
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      after,
    });
    // Rows of the page only: the counts of links are read for these controls, not for all.
    const rows = await repo.findControls(tx, {
      ids: page.ids,
      asOf: query.asOf,
      includeArchived: true,
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      items: page.ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [repo.toControl(row)] : [];
      }),
      asOf: query.asOf ?? null,
      total: page.total,
      nextCursor: page.nextKey === undefined ? null : encodeControlCursor(query, page.nextKey),
    };
  });
}

/** Columns of the controls CSV export. */
export const controlCsvColumns = [
  'ref',
  'title',
  'section',
  'status',
  'reason',
  'owner',
  'implementation',
  'requirements',
] as const;

/** The filtered control list as CSV (one row per control; requirements joined by `; `). */
export async function exportControlsCsv(
  uow: UnitOfWork,
  query: ControlFilterQuery,
): Promise<string> {
  const { controls, labels } = await uow.read(async (tx) => {
    const rows = await repo.findControls(tx, toFilters(query));
    const found = await repo.findRequirementLabels(
      tx,
      rows.map((r) => r.id),
    );
    return { controls: rows.map(repo.toControl).sort(repo.compareControls), labels: found };
  });
  return formatCsv(
    controlCsvColumns,
    controls.map((c) => [
      c.ref,
      c.title,
      c.section,
      c.status,
      c.statusReason,
      c.owner ? `${c.owner.name} <${c.owner.email}>` : '',
      c.implementationStatus,
      (labels.get(c.id) ?? []).join('; '),
    ]),
  );
}

async function assertOwner(tx: Tx, ownerId: string | null | undefined): Promise<void> {
  if (ownerId === null || ownerId === undefined) return;
  const found = await repo.findUserIds(tx, [ownerId]);
  if (!found.has(ownerId)) {
    throw new AppError('request.invalid', 'The owner is not a user of this organisation', [
      { path: 'ownerId', message: 'Choose a user of this organisation' },
    ]);
  }
}

async function assertRequirements(tx: Tx, ids: readonly string[]): Promise<void> {
  const found = await repo.findRequirementIds(tx, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError('request.invalid', `No such requirement: ${missing.join(', ')}`, [
      { path: 'requirementIds', message: `No such requirement: ${missing.join(', ')}` },
    ]);
  }
}

async function assertRefFree(tx: Tx, ref: string, exceptId?: string): Promise<void> {
  const existing = await repo.findControlByRef(tx, ref);
  if (existing && existing.id !== exceptId) throw refTaken(ref);
}

function refTaken(ref: string): AppError {
  return new AppError('control.ref_taken', `Another control already has the reference ${ref}`, [
    { path: 'ref', message: 'Another control already has this reference' },
  ]);
}

// Two writers can pass the check at once; the unique constraint decides, with the same answer.
function isRefConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'controls_org_id_ref_key';
}

async function loadControl(tx: Tx, id: string): Promise<Control> {
  const [row] = await repo.findControls(tx, { ids: [id], includeArchived: true });
  if (!row) throw new AppError('control.not_found');
  return repo.toControl(row);
}

/** Create a control, with the requirements it satisfies. */
export async function createControl(
  uow: UnitOfWork,
  input: z.output<typeof createControlSchema>,
): Promise<Control> {
  const requirementIds = [...new Set(input.requirementIds)];
  try {
    return await uow.write(async (scope) => {
      const { tx, audit } = scope;
      await assertRefFree(tx, input.ref);
      await assertOwner(tx, input.ownerId);
      await assertRequirements(tx, requirementIds);
      const id = await repo.insertControl(tx, {
        orgId: uow.orgId,
        ref: input.ref,
        title: input.title,
        description: input.description,
        ownerId: input.ownerId,
        section: input.section,
        implementationStatus: input.implementationStatus,
      });
      await repo.insertControlRequirements(
        tx,
        uow.orgId,
        requirementIds.map((requirementId) => ({ controlId: id, requirementId })),
      );
      await audit({
        action: 'control.created',
        targetType: 'control',
        targetId: id,
        changes: {
          ref: input.ref,
          title: input.title,
          ownerId: input.ownerId,
          section: input.section,
          implementationStatus: input.implementationStatus,
          requirementIds,
        },
      });
      await refreshControlStatuses(scope, uow.orgId, [id]);
      return loadControl(tx, id);
    });
  } catch (error) {
    if (isRefConflict(error)) throw refTaken(input.ref);
    throw error;
  }
}

/** A control with its requirements, checks, tasks, evidence, promises and 90 days of history. */
export async function getControl(uow: UnitOfWork, id: string): Promise<ControlDetail> {
  return uow.read((tx) => loadControlDetail(tx, id));
}

/** Build a control's detail inside a transaction. */
export async function loadControlDetail(tx: Tx, id: string): Promise<ControlDetail> {
  const control = await loadControl(tx, id);
  const today = todayUtc();
  const [requirements, checks, tasks, evidence, promises, history, rules, policies, risks] =
    await Promise.all([
      repo.findControlRequirements(tx, id),
      repo.findControlChecks(tx, id),
      repo.findControlTasks(tx, id),
      repo.findControlEvidence(tx, id),
      repo.findControlPromises(tx, id),
      repo.findStatusHistory(tx, id, addDays(today, -historyDays)),
      repo.findProgramRules(tx),
      repo.findControlPolicies(tx, id),
      repo.findControlRisks(tx, id),
    ]);
  const evidenceControls = await repo.findEvidenceControls(
    tx,
    evidence.map((e) => e.id),
  );
  const controlRef = {
    id: control.id,
    ref: control.ref,
    title: control.title,
    status: control.status,
  };
  return {
    control,
    requirements: requirements.map((r) => ({
      id: r.id,
      frameworkId: r.framework_id,
      frameworkName: r.framework_name,
      ref: r.ref,
      label: r.label,
      title: r.title,
      body: r.body,
      guidance: r.guidance,
      section: r.section,
      groupTitle: r.group_title,
      parentRef: r.parent_ref,
      mappings: describeReferenceMappings(r.mappings),
    })),
    checks: checks.map((c) => ({
      id: c.id,
      key: c.key,
      name: c.name,
      description: c.description,
      latestStatus: c.latest_status,
      latestSummary: c.latest_summary,
      latestObservedAt: c.latest_observed_at?.toISOString() ?? null,
    })),
    tasks: tasks.map((t): Task => ({
      id: t.id,
      title: t.title,
      description: t.description,
      control: controlRef,
      owner:
        t.owner_id === null
          ? null
          : { id: t.owner_id, name: t.owner_name ?? '', email: t.owner_email ?? '' },
      cadenceMonths: t.cadence_months,
      graceDays: t.grace_days,
      nextDueOn: t.next_due_on,
      // Derived for today like the task list does, not read from the nightly snapshot.
      state: deriveTaskState(
        {
          nextDueOn: t.next_due_on,
          graceDays: t.grace_days,
          lastCompletedAt: t.last_completed_at,
          isActive: t.is_active,
        },
        today,
        rules.dueWindowDays,
      ),
      lastCompletedAt: t.last_completed_at?.toISOString() ?? null,
      isActive: t.is_active,
    })),
    evidence: evidence.map((e): Evidence => ({
      id: e.id,
      lineageId: e.lineage_id,
      version: e.version,
      isSuperseded: false,
      kind: e.kind,
      title: e.title,
      description: e.description,
      fileName: e.file_name,
      mediaType: e.media_type,
      sizeBytes: e.size_bytes === null ? null : Number(e.size_bytes),
      sha256: e.file_sha256,
      url: e.url,
      collectedAt: e.collected_at.toISOString(),
      effectiveFrom: e.effective_from,
      effectiveTo: e.effective_to,
      suppliedBy: e.supplied_by,
      taskId: e.task_id,
      controls: evidenceControls.get(e.id) ?? [],
      createdAt: e.created_at.toISOString(),
      deletedAt: null,
      retainedUntil: new Date(
        e.collected_at.getTime() + rules.retentionDays * 86_400_000,
      ).toISOString(),
    })),
    promises: promises.map((p) => ({ id: p.id, annexId: p.annex_id, ref: p.ref, body: p.body })),
    references: describeReferenceMappings(requirements.flatMap((r) => r.mappings)),
    history: history.map((h) => ({
      day: h.day,
      status: h.status as ControlStatus,
      reason: h.reason,
    })),
    linkedRecords: [
      ...policies.map((p): LinkedRecord => ({
        kind: 'policy',
        id: p.id,
        ref: p.key,
        title: p.title,
        status: describePolicyStatus(p),
        path: `/policies/${p.id}`,
      })),
      ...risks.map((r): LinkedRecord => ({
        kind: 'risk',
        id: r.id,
        ref: r.ref,
        title: r.title,
        status: describeRiskStatus(r),
        path: `/risks/${r.id}`,
      })),
    ],
  };
}

type LinkedRecord = ControlDetail['linkedRecords'][number];

/** Change a control; archiving or changing its applicability refreshes status and readiness. */
export async function updateControl(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updateControlSchema>,
): Promise<Control> {
  try {
    return await uow.write(async (scope) => {
      const { tx, audit } = scope;
      const current = await repo.lockControl(tx, id);
      if (!current) throw new AppError('control.not_found');
      if (input.ref !== undefined && input.ref !== current.ref) {
        await assertRefFree(tx, input.ref, id);
      }
      await assertOwner(tx, input.ownerId);
      const wasArchived = current.archived_at !== null;
      const values: Parameters<typeof repo.updateControl>[2] = {};
      const changes: Record<string, unknown> = {};
      const note = (field: string, from: unknown, to: unknown) => {
        if (from !== to) changes[field] = { from, to };
      };
      if (input.ref !== undefined) {
        values.ref = input.ref;
        note('ref', current.ref, input.ref);
      }
      if (input.title !== undefined) {
        values.title = input.title;
        note('title', current.title, input.title);
      }
      if (input.description !== undefined) {
        values.description = input.description;
        if (input.description !== current.description) changes.description = 'changed';
      }
      if (input.ownerId !== undefined) {
        values.owner_id = input.ownerId;
        note('ownerId', current.owner_id, input.ownerId);
      }
      if (input.section !== undefined) {
        values.section = input.section;
        note('section', current.section, input.section);
      }
      if (input.implementationStatus !== undefined) {
        values.implementation_status = input.implementationStatus;
        note('implementationStatus', current.implementation_status, input.implementationStatus);
      }
      if (input.archived !== undefined && input.archived !== wasArchived) {
        values.archived_at = input.archived ? new Date() : null;
        changes.archived = { from: wasArchived, to: input.archived };
      }
      await repo.updateControl(tx, id, values);
      await audit({
        action: 'control.updated',
        targetType: 'control',
        targetId: id,
        changes: { ref: input.ref ?? current.ref, ...changes },
      });
      if (input.archived === true && !wasArchived) {
        await audit({
          action: 'control.archived',
          targetType: 'control',
          targetId: id,
          changes: { ref: input.ref ?? current.ref },
        });
      }
      if ('archived' in changes || 'implementationStatus' in changes || 'section' in changes) {
        await refreshControlStatuses(scope, uow.orgId, [id]);
      }
      return loadControl(tx, id);
    });
  } catch (error) {
    if (isRefConflict(error) && input.ref !== undefined) throw refTaken(input.ref);
    throw error;
  }
}

/** Replace the requirements a control satisfies (across frameworks). */
export async function setControlRequirements(
  uow: UnitOfWork,
  id: string,
  requirementIds: readonly string[],
): Promise<ControlDetail> {
  const wanted = [...new Set(requirementIds)];
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const control = await repo.lockControl(tx, id);
    if (!control) throw new AppError('control.not_found');
    await assertRequirements(tx, wanted);
    const current = new Set(await repo.findControlRequirementIds(tx, id));
    const added = wanted.filter((r) => !current.has(r));
    const keep = new Set(wanted);
    const removed = [...current].filter((r) => !keep.has(r));
    await repo.deleteControlRequirements(tx, id, removed);
    await repo.insertControlRequirements(
      tx,
      uow.orgId,
      added.map((requirementId) => ({ controlId: id, requirementId })),
    );
    await audit({
      action: 'control.requirements_updated',
      targetType: 'control',
      targetId: id,
      changes: { ref: control.ref, added, removed },
    });
    // Framework readiness counts the controls mapped to it, so the day's roll-up changes too.
    await refreshControlStatuses(scope, uow.orgId, [id]);
    return loadControlDetail(tx, id);
  });
}

/** Replace the automated checks that prove a control; every key must name a declared check. */
export async function setControlChecks(
  uow: UnitOfWork,
  id: string,
  checkKeys: readonly string[],
): Promise<ControlDetail> {
  const keys = [...new Set(checkKeys.map((k) => k.trim()))];
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const control = await repo.lockControl(tx, id);
    if (!control) throw new AppError('control.not_found');
    const found = await repo.findChecksByKey(tx, keys);
    const idByKey = new Map(found.map((c) => [c.key, c.id]));
    const unknown = keys.filter((k) => !idByKey.has(k));
    if (unknown.length > 0) {
      const errors: FieldError[] = checkKeys.flatMap((key, index) =>
        idByKey.has(key.trim())
          ? []
          : [{ path: `checkKeys.${String(index)}`, message: `No check "${key.trim()}"` }],
      );
      throw new AppError(
        'request.invalid',
        `No such check: ${unknown.map((k) => `"${k}"`).join(', ')}`,
        errors,
      );
    }
    const wanted = keys.map((k) => idByKey.get(k) ?? '');
    const current = new Set(await repo.findControlCheckIds(tx, id));
    const keep = new Set(wanted);
    const added = wanted.filter((c) => !current.has(c));
    const removed = [...current].filter((c) => !keep.has(c));
    await repo.deleteControlChecks(tx, id, removed);
    await repo.insertControlChecks(
      tx,
      uow.orgId,
      added.map((checkId) => ({ controlId: id, checkId })),
    );
    await audit({
      action: 'control.checks_updated',
      targetType: 'control',
      targetId: id,
      changes: { ref: control.ref, checkKeys: keys, added: added.length, removed: removed.length },
    });
    await refreshControlStatuses(scope, uow.orgId, [id]);
    return loadControlDetail(tx, id);
  });
}
