import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { ReviewAttendeeRecord } from '../../platform/db/schema.ts';
import { findUserRefs, type UserRef } from '../../platform/db/user-refs.repo.ts';

/** Users of the org by id, and how a record names one. */
export { findUserRefs as findUsers, type UserRef };

/** A stored review. */
export interface ReviewRow {
  id: string;
  title: string;
  meeting_on: string;
  status: string;
  attendees: ReviewAttendeeRecord[];
  agenda: Record<string, unknown>;
  minutes: string;
  decisions: string[];
  created_at: Date;
  held_at: Date | null;
  held_by_user_id: string | null;
  evidence_id: string | null;
}

/** A stored action item. */
export interface ActionRow {
  id: string;
  review_id: string;
  title: string;
  owner_id: string | null;
  due_on: string;
  status: string;
  completed_at: Date | null;
}

const reviewColumns = [
  'id',
  'title',
  'meeting_on',
  'status',
  'attendees',
  'agenda',
  'minutes',
  'decisions',
  'created_at',
  'held_at',
  'held_by_user_id',
  'evidence_id',
] as const;

/** The org's cadence in months, or null when never set. */
export async function findCadence(tx: Tx): Promise<number | null> {
  const row = await tx
    .selectFrom('management_review_settings')
    .select('cadence_months')
    .executeTakeFirst();
  return row?.cadence_months ?? null;
}

/** Set the org's cadence. */
export async function upsertCadence(tx: Tx, orgId: string, months: number): Promise<void> {
  await tx
    .insertInto('management_review_settings')
    .values({ org_id: orgId, cadence_months: months })
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({ cadence_months: months, updated_at: new Date() }),
    )
    .execute();
}

/** Reviews, newest meeting first. */
export async function findReviews(tx: Tx, status?: string): Promise<ReviewRow[]> {
  let query = tx
    .selectFrom('management_reviews')
    .select(reviewColumns)
    .orderBy('meeting_on', 'desc')
    .orderBy('created_at', 'desc');
  if (status !== undefined) query = query.where('status', '=', status);
  return query.execute();
}

/** One review, optionally locked for a change. */
export async function findReview(
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReviewRow | undefined> {
  let query = tx.selectFrom('management_reviews').select(reviewColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The meeting day of the latest held review. */
export async function findLastHeldOn(tx: Tx): Promise<string | null> {
  const row = await tx
    .selectFrom('management_reviews')
    .select((eb) => eb.fn.max('meeting_on').as('last'))
    .where('status', '=', 'held')
    .executeTakeFirst();
  return row?.last ?? null;
}

/** Insert a draft review. */
export async function insertReview(
  tx: Tx,
  values: {
    orgId: string;
    title: string;
    meetingOn: string;
    attendees: ReviewAttendeeRecord[];
    agenda: unknown;
    createdByUserId: string;
  },
): Promise<string> {
  const row = await tx
    .insertInto('management_reviews')
    .values({
      org_id: values.orgId,
      title: values.title,
      meeting_on: values.meetingOn,
      attendees: JSON.stringify(values.attendees),
      agenda: JSON.stringify(values.agenda),
      created_by_user_id: values.createdByUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Change a draft review. */
export async function updateReview(
  tx: Tx,
  id: string,
  values: {
    title?: string;
    meeting_on?: string;
    attendees?: ReviewAttendeeRecord[];
    minutes?: string;
    decisions?: string[];
    status?: 'held';
    held_at?: Date;
    held_by_user_id?: string;
    evidence_id?: string | null;
  },
): Promise<void> {
  const { attendees, ...rest } = values;
  await tx
    .updateTable('management_reviews')
    .set({
      ...rest,
      ...(attendees === undefined ? {} : { attendees: JSON.stringify(attendees) }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Action items of these reviews (all when no ids are given), by due date. */
export async function findActions(tx: Tx, reviewIds?: readonly string[]): Promise<ActionRow[]> {
  if (reviewIds?.length === 0) return [];
  let query = tx
    .selectFrom('management_review_actions')
    .select(['id', 'review_id', 'title', 'owner_id', 'due_on', 'status', 'completed_at'])
    .orderBy('due_on')
    .orderBy('created_at');
  if (reviewIds !== undefined) query = query.where('review_id', 'in', [...reviewIds]);
  return query.execute();
}

/** Open action items of held reviews, with their owner's name. */
export async function findOpenHeldActions(
  tx: Tx,
): Promise<{ title: string; owner: string | null; dueOn: string }[]> {
  const rows = await tx
    .selectFrom('management_review_actions as a')
    .innerJoin('management_reviews as r', 'r.id', 'a.review_id')
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .select(['a.title', 'u.name as owner', 'a.due_on'])
    .where('a.status', '=', 'open')
    .where('r.status', '=', 'held')
    .orderBy('a.due_on')
    .execute();
  return rows.map((r) => ({ title: r.title, owner: r.owner, dueOn: r.due_on }));
}

/** Open action items of held reviews owned by a user, by due date, with their review. */
export async function findOpenHeldActionsOwnedBy(
  tx: Tx,
  userId: string,
): Promise<(ActionRow & { review_title: string; review_meeting_on: string })[]> {
  return tx
    .selectFrom('management_review_actions as a')
    .innerJoin('management_reviews as r', 'r.id', 'a.review_id')
    .select([
      'a.id',
      'a.review_id',
      'a.title',
      'a.owner_id',
      'a.due_on',
      'a.status',
      'a.completed_at',
      'r.title as review_title',
      'r.meeting_on as review_meeting_on',
    ])
    .where('a.owner_id', '=', userId)
    .where('a.status', '=', 'open')
    .where('r.status', '=', 'held')
    .orderBy('a.due_on')
    .orderBy('a.created_at')
    .execute();
}

/** One action item, locked. */
export async function findAction(tx: Tx, id: string): Promise<ActionRow | undefined> {
  return tx
    .selectFrom('management_review_actions')
    .select(['id', 'review_id', 'title', 'owner_id', 'due_on', 'status', 'completed_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Insert an action item. */
export async function insertAction(
  tx: Tx,
  values: { orgId: string; reviewId: string; title: string; ownerId: string | null; dueOn: string },
): Promise<ActionRow> {
  return tx
    .insertInto('management_review_actions')
    .values({
      org_id: values.orgId,
      review_id: values.reviewId,
      title: values.title,
      owner_id: values.ownerId,
      due_on: values.dueOn,
    })
    .returning(['id', 'review_id', 'title', 'owner_id', 'due_on', 'status', 'completed_at'])
    .executeTakeFirstOrThrow();
}

/** Change an action item. */
export async function updateAction(
  tx: Tx,
  id: string,
  values: {
    title?: string;
    owner_id?: string | null;
    due_on?: string;
    status?: string;
    completed_at?: Date | null;
  },
): Promise<ActionRow> {
  return tx
    .updateTable('management_review_actions')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returning(['id', 'review_id', 'title', 'owner_id', 'due_on', 'status', 'completed_at'])
    .executeTakeFirstOrThrow();
}

/** Notes of a review, oldest first. */
export async function findNotes(
  tx: Tx,
  reviewId: string,
): Promise<{ id: string; body: string; author_user_id: string | null; created_at: Date }[]> {
  return tx
    .selectFrom('management_review_notes')
    .select(['id', 'body', 'author_user_id', 'created_at'])
    .where('review_id', '=', reviewId)
    .orderBy('created_at')
    .execute();
}

/** Add a note. */
export async function insertNote(
  tx: Tx,
  values: { orgId: string; reviewId: string; body: string; authorUserId: string },
): Promise<string> {
  const row = await tx
    .insertInto('management_review_notes')
    .values({
      org_id: values.orgId,
      review_id: values.reviewId,
      body: values.body,
      author_user_id: values.authorUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Active (not disabled) users among these ids. */
export async function findActiveUsers(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, UserRef>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', [...new Set(ids)])
    .where('status', '<>', 'disabled')
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** People of the directory by id, with their display names. */
export async function findPeople(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, { id: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name }]));
}

/** Overdue evidence tasks: how many, and the earliest due with control and owner. */
export async function findOverdueTasks(
  tx: Tx,
  limit: number,
): Promise<{
  count: number;
  items: { title: string; controlRef: string; dueOn: string; owner: string | null }[];
}> {
  const base = tx
    .selectFrom('evidence_tasks as t')
    .innerJoin('controls as c', 'c.id', 't.control_id')
    .where('t.is_active', '=', true)
    .where('t.state', '=', 'overdue');
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst(),
    base
      .leftJoin('users as u', 'u.id', 't.owner_id')
      .select(['t.title', 'c.ref', 't.next_due_on', 'u.name'])
      .orderBy('t.next_due_on')
      .limit(limit)
      .execute(),
  ]);
  return {
    count: Number(count?.n ?? 0),
    items: rows.map((r) => ({
      title: r.title,
      controlRef: r.ref,
      dueOn: r.next_due_on,
      owner: r.name,
    })),
  };
}

/** Open findings past their SLA due time, per severity (each finding counted once). */
export async function findSlaBreaches(
  tx: Tx,
  now: Date,
): Promise<{ severity: string; count: number }[]> {
  const rows = await sql<{ severity: string; n: string }>`
    SELECT severity, count(*) AS n
      FROM findings
     WHERE state = 'open' AND canonical_id IS NULL AND due_at < ${now}
     GROUP BY severity`.execute(tx);
  return rows.rows.map((r) => ({ severity: r.severity, count: Number(r.n) }));
}

/** The org's name. */
export async function findOrgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? '';
}

/** Set the org's management review task to this cadence; returns whether it changed. */
export async function alignTaskCadence(tx: Tx, taskKey: string, months: number): Promise<boolean> {
  const rows = await tx
    .updateTable('evidence_tasks')
    .set({ cadence_months: months, updated_at: new Date() })
    .where('key', '=', taskKey)
    .where('cadence_months', '<>', months)
    .returning('id')
    .execute();
  return rows.length > 0;
}
