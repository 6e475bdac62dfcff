import type {
  attendeeInputSchema,
  createManagementReviewSchema,
  createReviewActionSchema,
  managementReviewDetailSchema,
  managementReviewListSchema,
  managementReviewSchema,
  myReviewActionSchema,
  reviewActionSchema,
  updateManagementReviewSchema,
  updateReviewActionSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import type { ReviewAttendeeRecord } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addMonths, computeReadiness, todayUtc } from '../controls/index.ts';
import { annexSections } from '../frameworks/index.ts';
import { countOpenHighRisks } from '../risks/index.ts';
import {
  agendaListLimit,
  buildAgenda,
  evaluateReviewCadence,
  type ReviewAgenda,
} from './review-agenda.ts';
import {
  recordDeclaredCheck,
  recordTaskEvidence,
  type RecordScope,
  type RecordSupplier,
} from './task-evidence.ts';
import * as repo from './management-reviews.repo.ts';
import { renderReviewMarkdown } from './review-record.ts';

/** A review as listed. */
export type ManagementReview = z.infer<typeof managementReviewSchema>;

/** A review with everything in its record. */
export type ManagementReviewDetail = z.infer<typeof managementReviewDetailSchema>;

type ReviewAction = z.infer<typeof reviewActionSchema>;

/** What the management review service needs. */
export interface ReviewServiceDeps {
  publicUrl: URL;
}

/** Months between reviews unless the org sets otherwise: quarterly. */
export const defaultCadenceMonths = 3;

/** The annex task and check a held review proves. */
export const oversightKeys = {
  task: 'governance.management_review',
  check: 'governance.management_review',
} as const;

const checkDeclaration = {
  key: oversightKeys.check,
  name: 'Management review held within cadence',
  description:
    'Leadership held a management review of the security program within the cadence set for management reviews.',
  taskKey: oversightKeys.task,
};

function notFound(): AppError {
  return new AppError('management_review.not_found');
}

function invalid(path: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ path, message }]);
}

function isHeld(row: repo.ReviewRow): boolean {
  return row.status === 'held';
}

function refuseHeld(): AppError {
  return new AppError(
    'management_review.held',
    'This review is held: its record no longer changes. Add a note to correct or complete it.',
  );
}

function toAction(
  row: repo.ActionRow,
  users: Map<string, repo.UserRef>,
  today: string,
): ReviewAction {
  return {
    id: row.id,
    reviewId: row.review_id,
    title: row.title,
    owner: row.owner_id === null ? null : (users.get(row.owner_id) ?? null),
    dueOn: row.due_on,
    status: row.status as ReviewAction['status'],
    isOverdue: row.status === 'open' && row.due_on < today,
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

function toReview(
  row: repo.ReviewRow,
  actions: readonly repo.ActionRow[],
  users: Map<string, repo.UserRef>,
  today: string,
): ManagementReview {
  const open = actions.filter((a) => a.review_id === row.id && a.status === 'open');
  return {
    id: row.id,
    title: row.title,
    meetingOn: row.meeting_on,
    status: row.status as ManagementReview['status'],
    attendees: row.attendees,
    openActions: open.length,
    overdueActions: open.filter((a) => a.due_on < today).length,
    heldAt: row.held_at?.toISOString() ?? null,
    heldBy: row.held_by_user_id === null ? null : (users.get(row.held_by_user_id) ?? null),
    evidenceId: row.evidence_id,
    createdAt: row.created_at.toISOString(),
  };
}

async function loadDetail(tx: Tx, id: string, today = todayUtc()): Promise<ManagementReviewDetail> {
  const row = await repo.findReview(tx, id);
  if (!row) throw notFound();
  const [actions, notes] = await Promise.all([repo.findActions(tx, [id]), repo.findNotes(tx, id)]);
  const users = await repo.findUsers(tx, [
    ...(row.held_by_user_id ? [row.held_by_user_id] : []),
    ...actions.flatMap((a) => (a.owner_id ? [a.owner_id] : [])),
    ...notes.flatMap((n) => (n.author_user_id ? [n.author_user_id] : [])),
  ]);
  return {
    ...toReview(row, actions, users, today),
    agenda: row.agenda as ReviewAgenda,
    minutes: row.minutes,
    decisions: row.decisions,
    actions: actions.map((a) => toAction(a, users, today)),
    notes: notes.map((n) => ({
      id: n.id,
      body: n.body,
      author: n.author_user_id === null ? null : (users.get(n.author_user_id) ?? null),
      createdAt: n.created_at.toISOString(),
    })),
  };
}

async function cadenceOf(tx: Tx): Promise<number> {
  return (await repo.findCadence(tx)) ?? defaultCadenceMonths;
}

/** Reviews (optionally by status) with where the org stands against its cadence. */
export async function listReviews(
  uow: UnitOfWork,
  status: 'draft' | 'held' | undefined,
): Promise<z.infer<typeof managementReviewListSchema>> {
  const today = todayUtc();
  return uow.read(async (tx) => {
    const [rows, allActions, cadence, lastHeldOn] = await Promise.all([
      repo.findReviews(tx, status),
      repo.findActions(tx),
      cadenceOf(tx),
      repo.findLastHeldOn(tx),
    ]);
    const users = await repo.findUsers(
      tx,
      rows.flatMap((r) => (r.held_by_user_id ? [r.held_by_user_id] : [])),
    );
    const open = allActions.filter((a) => a.status === 'open');
    const nextDueOn = lastHeldOn === null ? null : addMonths(lastHeldOn, cadence);
    return {
      overview: {
        cadenceMonths: cadence,
        lastHeldOn,
        nextDueOn,
        isOverdue: nextDueOn !== null && nextDueOn < today,
        openActions: open.length,
        overdueActions: open.filter((a) => a.due_on < today).length,
      },
      items: rows.map((r) => toReview(r, allActions, users, today)),
    };
  });
}

/** One review with its record. */
export async function getReview(uow: UnitOfWork, id: string): Promise<ManagementReviewDetail> {
  return uow.read((tx) => loadDetail(tx, id));
}

async function resolveAttendees(
  tx: Tx,
  input: readonly z.output<typeof attendeeInputSchema>[],
): Promise<ReviewAttendeeRecord[]> {
  const userIds = input.flatMap((a) => (a.userId ? [a.userId] : []));
  const personIds = input.flatMap((a) => (a.personId ? [a.personId] : []));
  const [users, people] = await Promise.all([
    repo.findActiveUsers(tx, userIds),
    repo.findPeople(tx, personIds),
  ]);
  const seen = new Set<string>();
  return input.map((a, i) => {
    const key = a.userId ?? a.personId ?? `name:${(a.name ?? '').toLowerCase()}`;
    if (seen.has(key)) throw invalid(`attendees.${String(i)}`, 'This attendee is listed twice');
    seen.add(key);
    if (a.userId !== undefined) {
      const user = users.get(a.userId);
      if (!user) throw invalid(`attendees.${String(i)}.userId`, 'No such active user');
      return { userId: user.id, personId: null, name: user.name, role: a.role };
    }
    if (a.personId !== undefined) {
      const person = people.get(a.personId);
      if (!person)
        throw invalid(`attendees.${String(i)}.personId`, 'No such person in the directory');
      return { userId: null, personId: person.id, name: person.name, role: a.role };
    }
    return { userId: null, personId: null, name: a.name ?? '', role: a.role };
  });
}

/** Build the agenda from the figures of this moment. */
export async function buildLiveAgenda(tx: Tx, now: Date): Promise<ReviewAgenda> {
  const [readiness, overdueTasks, slaBreaches, sinceReviewOn, openActions, openHighRisks] =
    await Promise.all([
      computeReadiness(tx),
      repo.findOverdueTasks(tx, agendaListLimit),
      repo.findSlaBreaches(tx, now),
      repo.findLastHeldOn(tx),
      repo.findOpenHeldActions(tx),
      countOpenHighRisks(tx),
    ]);
  return buildAgenda({
    now,
    today: todayUtc(now),
    sinceReviewOn,
    sections: annexSections,
    readiness,
    overdueTasks,
    slaBreaches,
    openHighRisks,
    openActions,
  });
}

/** Start a review as a draft; the agenda's figures are taken now and kept as they are. */
export async function createReview(
  uow: UnitOfWork,
  userId: string,
  input: z.output<typeof createManagementReviewSchema>,
): Promise<ManagementReviewDetail> {
  const now = new Date();
  return uow.write(async ({ tx, audit }) => {
    const attendees = await resolveAttendees(tx, input.attendees);
    const agenda = await buildLiveAgenda(tx, now);
    const title = input.title ?? `Management review ${input.meetingOn}`;
    const id = await repo.insertReview(tx, {
      orgId: uow.orgId,
      title,
      meetingOn: input.meetingOn,
      attendees,
      agenda,
      createdByUserId: userId,
    });
    await audit({
      action: 'management_review.created',
      targetType: 'management_review',
      targetId: id,
      changes: {
        title,
        meetingOn: input.meetingOn,
        attendees: attendees.map((a) => a.name),
        agenda: {
          readiness: agenda.readiness.percent,
          overdueTasks: agenda.overdueTasks.count,
          slaBreaches: agenda.slaBreaches.count,
          openHighRisks: agenda.openHighRisks.count,
        },
      },
    });
    return loadDetail(tx, id, todayUtc(now));
  });
}

async function lockDraft(tx: Tx, id: string): Promise<repo.ReviewRow> {
  const row = await repo.findReview(tx, id, { forUpdate: true });
  if (!row) throw notFound();
  if (isHeld(row)) throw refuseHeld();
  return row;
}

/** Edit a draft review. */
export async function updateReview(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updateManagementReviewSchema>,
): Promise<ManagementReviewDetail> {
  return uow.write(async ({ tx, audit }) => {
    await lockDraft(tx, id);
    const attendees =
      input.attendees === undefined ? undefined : await resolveAttendees(tx, input.attendees);
    await repo.updateReview(tx, id, {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.meetingOn === undefined ? {} : { meeting_on: input.meetingOn }),
      ...(attendees === undefined ? {} : { attendees }),
      ...(input.minutes === undefined ? {} : { minutes: input.minutes }),
      ...(input.decisions === undefined ? {} : { decisions: input.decisions }),
    });
    await audit({
      action: 'management_review.updated',
      targetType: 'management_review',
      targetId: id,
      changes: {
        ...input,
        ...(attendees === undefined ? {} : { attendees: attendees.map((a) => a.name) }),
        ...(input.minutes === undefined
          ? {}
          : { minutes: `${String(input.minutes.length)} characters` }),
      },
    });
    return loadDetail(tx, id);
  });
}

/**
 * Evaluate the oversight check from the latest held review and record it (declaring the check on
 * the control that carries the management review task when the org does not have it yet).
 */
export async function recordOversightCheck(
  scope: RecordScope,
  orgId: string,
  now = new Date(),
): Promise<boolean> {
  const [lastHeldOn, cadence] = await Promise.all([
    repo.findLastHeldOn(scope.tx),
    cadenceOf(scope.tx),
  ]);
  const outcome = evaluateReviewCadence({
    lastHeldOn,
    cadenceMonths: cadence,
    today: todayUtc(now),
  });
  if (outcome === null) return false;
  return recordDeclaredCheck(
    scope,
    orgId,
    checkDeclaration,
    {
      status: outcome.status,
      summary: outcome.summary,
      details: { lastHeldOn, cadenceMonths: cadence, nextDueOn: outcome.nextDueOn },
      observedAt: now.toISOString(),
    },
    'Steward management reviews',
  );
}

/**
 * Record the review as held. It needs a meeting that has taken place, attendees and minutes.
 * The record becomes evidence of the management review task (completing its occurrence when it
 * covers today) and the oversight check is recorded.
 */
export async function holdReview(
  deps: ReviewServiceDeps,
  uow: UnitOfWork,
  supplier: RecordSupplier & { userId: string },
  id: string,
): Promise<ManagementReviewDetail> {
  const now = new Date();
  const today = todayUtc(now);
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const row = await lockDraft(tx, id);
    if (row.meeting_on > today) {
      throw invalid(
        'meetingOn',
        'The meeting has not taken place yet; hold it on or after its date',
      );
    }
    if (row.attendees.length === 0) throw invalid('attendees', 'Record who attended');
    if (row.minutes.trim() === '')
      throw invalid('minutes', 'Write the minutes before holding the review');
    const cadence = await cadenceOf(tx);
    const isCadenceAligned = await repo.alignTaskCadence(tx, oversightKeys.task, cadence);
    const actions = await repo.findActions(tx, [id]);
    const evidence = await recordTaskEvidence(scope, uow.orgId, {
      taskKey: oversightKeys.task,
      title: `Management review held ${row.meeting_on}: ${row.title}`,
      description: `Record of the management review of ${row.meeting_on}: ${String(row.attendees.length)} attendees, ${String(row.decisions.length)} decisions, ${String(actions.length)} action items. The record is immutable in Steward; its Markdown export is at /api/v1/management-reviews/${id}/export.`,
      url: new URL(`/management-reviews/${id}`, deps.publicUrl).toString(),
      effectiveFrom: row.meeting_on,
      effectiveTo: addMonths(row.meeting_on, cadence),
      supplier,
      now,
    });
    await repo.updateReview(tx, id, {
      status: 'held',
      held_at: now,
      held_by_user_id: supplier.userId,
      evidence_id: evidence?.evidenceId ?? null,
    });
    await audit({
      action: 'management_review.held',
      targetType: 'management_review',
      targetId: id,
      changes: {
        meetingOn: row.meeting_on,
        attendees: row.attendees.map((a) => a.name),
        decisions: row.decisions.length,
        actions: actions.length,
        evidenceId: evidence?.evidenceId ?? null,
        isTaskCompleted: evidence?.isTaskCompleted ?? false,
        ...(isCadenceAligned ? { taskCadenceMonths: cadence } : {}),
      },
    });
    await recordOversightCheck(scope, uow.orgId, now);
    return loadDetail(tx, id, today);
  });
}

/** Add a note to a held review: how the record is corrected or completed. */
export async function addNote(
  uow: UnitOfWork,
  userId: string,
  id: string,
  body: string,
): Promise<ManagementReviewDetail> {
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.findReview(tx, id, { forUpdate: true });
    if (!row) throw notFound();
    if (!isHeld(row)) {
      throw new AppError(
        'request.invalid',
        'The review is still a draft: edit its minutes instead of adding a note',
        [{ path: 'body', message: 'Notes are for held reviews; edit the draft’s minutes' }],
      );
    }
    const noteId = await repo.insertNote(tx, {
      orgId: uow.orgId,
      reviewId: id,
      body,
      authorUserId: userId,
    });
    await audit({
      action: 'management_review.note_added',
      targetType: 'management_review',
      targetId: id,
      changes: { noteId, body },
    });
    return loadDetail(tx, id);
  });
}

async function checkOwner(tx: Tx, ownerId: string | null | undefined): Promise<void> {
  if (ownerId === null || ownerId === undefined) return;
  const users = await repo.findActiveUsers(tx, [ownerId]);
  if (!users.has(ownerId)) throw invalid('ownerId', 'No such active user');
}

/** Add an action item to a draft review. */
export async function addAction(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof createReviewActionSchema>,
): Promise<ReviewAction> {
  return uow.write(async ({ tx, audit }) => {
    await lockDraft(tx, id);
    await checkOwner(tx, input.ownerId);
    const row = await repo.insertAction(tx, {
      orgId: uow.orgId,
      reviewId: id,
      title: input.title,
      ownerId: input.ownerId,
      dueOn: input.dueOn,
    });
    await audit({
      action: 'management_review.action_added',
      targetType: 'management_review',
      targetId: id,
      changes: { actionId: row.id, ...input },
    });
    const users = await repo.findUsers(tx, row.owner_id ? [row.owner_id] : []);
    return toAction(row, users, todayUtc());
  });
}

/** Change an action item; once its review is held, only its status may change. */
export async function updateAction(
  uow: UnitOfWork,
  actionId: string,
  input: z.output<typeof updateReviewActionSchema>,
): Promise<ReviewAction> {
  return uow.write(async ({ tx, audit }) => {
    const action = await repo.findAction(tx, actionId);
    if (!action) throw new AppError('management_review.action_not_found');
    const review = await repo.findReview(tx, action.review_id, { forUpdate: true });
    if (!review) throw new AppError('management_review.action_not_found');
    if (isHeld(review)) {
      const changed = (['title', 'ownerId', 'dueOn'] as const).find((k) => input[k] !== undefined);
      if (changed !== undefined) {
        throw new AppError(
          'management_review.held',
          'The review is held: only the status of its action items can change. Add a note to the review to record anything else.',
          [{ path: changed, message: 'Only the status can change once the review is held' }],
        );
      }
    }
    await checkOwner(tx, input.ownerId);
    const status = input.status ?? action.status;
    const row = await repo.updateAction(tx, actionId, {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.ownerId === undefined ? {} : { owner_id: input.ownerId }),
      ...(input.dueOn === undefined ? {} : { due_on: input.dueOn }),
      ...(input.status === undefined || input.status === action.status
        ? {}
        : { status, completed_at: status === 'done' ? new Date() : null }),
    });
    await audit({
      action: 'management_review.action_updated',
      targetType: 'management_review',
      targetId: action.review_id,
      changes: {
        actionId,
        ...input,
        ...(input.status === undefined ? {} : { status: { from: action.status, to: status } }),
      },
    });
    const users = await repo.findUsers(tx, row.owner_id ? [row.owner_id] : []);
    return toAction(row, users, todayUtc());
  });
}

/** The open action items of held reviews that a user owns, for their own task list. */
export async function listMyActions(
  uow: UnitOfWork,
  userId: string,
): Promise<{ items: z.infer<typeof myReviewActionSchema>[] }> {
  return uow.read(async (tx) => {
    const rows = await repo.findOpenHeldActionsOwnedBy(tx, userId);
    const users = await repo.findUsers(tx, rows.length === 0 ? [] : [userId]);
    const today = todayUtc();
    return {
      items: rows.map((row) => ({
        ...toAction(row, users, today),
        reviewTitle: row.review_title,
        reviewMeetingOn: row.review_meeting_on,
      })),
    };
  });
}

/** The cadence of management reviews. */
export async function getSettings(uow: UnitOfWork): Promise<{ cadenceMonths: number }> {
  return uow.read(async (tx) => ({ cadenceMonths: await cadenceOf(tx) }));
}

/** Change the cadence; the management review task and the oversight check follow it. */
export async function updateSettings(
  uow: UnitOfWork,
  cadenceMonths: number,
): Promise<{ cadenceMonths: number }> {
  return uow.write(async (scope) => {
    const from = await cadenceOf(scope.tx);
    await repo.upsertCadence(scope.tx, uow.orgId, cadenceMonths);
    const isTaskAligned = await repo.alignTaskCadence(scope.tx, oversightKeys.task, cadenceMonths);
    await scope.audit({
      action: 'management_review.settings_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { cadenceMonths: { from, to: cadenceMonths }, isTaskAligned },
    });
    await recordOversightCheck(scope, uow.orgId);
    return { cadenceMonths };
  });
}

/** The review record as Markdown. */
export async function exportReview(uow: UnitOfWork, id: string): Promise<string> {
  return uow.read(async (tx) =>
    renderReviewMarkdown(await loadDetail(tx, id), await repo.findOrgName(tx)),
  );
}
