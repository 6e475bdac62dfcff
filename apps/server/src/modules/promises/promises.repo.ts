import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { AnnexesTable, PromisesTable } from '../../platform/db/schema.ts';

/** Rows per insert statement, well under PostgreSQL's 65,535 parameters. */
const batchSize = 1000;

/** An annex row without its (possibly large) content. */
export type AnnexRow = Omit<Selectable<AnnexesTable>, 'content'>;

/** A promise row. */
export type PromiseRow = Selectable<PromisesTable>;

const annexColumns = [
  'id',
  'org_id',
  'name',
  'source',
  'file_name',
  'sha256',
  'is_default',
  'created_at',
] as const;

/** Insert an annex. */
export async function insertAnnex(
  tx: Tx,
  a: {
    orgId: string;
    name: string;
    source: 'default' | 'paste' | 'upload';
    fileName: string | null;
    sha256: string;
    content: string;
    isDefault: boolean;
  },
): Promise<AnnexRow> {
  return tx
    .insertInto('annexes')
    .values({
      org_id: a.orgId,
      name: a.name,
      source: a.source,
      file_name: a.fileName,
      sha256: a.sha256,
      content: a.content,
      is_default: a.isDefault,
    })
    .returning(annexColumns)
    .executeTakeFirstOrThrow();
}

/** Insert the promises of an annex; returns each promise's id by ref. */
export async function insertPromises(
  tx: Tx,
  orgId: string,
  annexId: string,
  promises: readonly {
    ref: string;
    sectionNumber: number;
    sectionTitle: string;
    body: string;
    line: number | null;
    isMappingConfirmed: boolean;
  }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < promises.length; i += batchSize) {
    const rows = await tx
      .insertInto('promises')
      .values(
        promises.slice(i, i + batchSize).map((p, j) => ({
          org_id: orgId,
          annex_id: annexId,
          ref: p.ref,
          section_number: p.sectionNumber,
          section_title: p.sectionTitle,
          body: p.body,
          line: p.line,
          sort_order: i + j,
          is_mapping_confirmed: p.isMappingConfirmed,
        })),
      )
      .returning(['id', 'ref'])
      .execute();
    for (const row of rows) ids.set(row.ref, row.id);
  }
  return ids;
}

/** Link promises to controls, as suggestions or confirmed. */
export async function insertPromiseControls(
  tx: Tx,
  orgId: string,
  links: readonly { promiseId: string; controlId: string; score: number; isConfirmed: boolean }[],
): Promise<void> {
  if (links.length === 0) return;
  // One statement with four array parameters: a large annex has tens of thousands of links,
  // which as VALUES rows would cost as many bound parameters to parse.
  await tx
    .insertInto('promise_controls')
    .columns(['org_id', 'promise_id', 'control_id', 'score', 'is_confirmed'])
    .expression(
      sql`SELECT ${orgId}::uuid, l.promise_id, l.control_id, l.score, l.is_confirmed
        FROM unnest(
          ${links.map((l) => l.promiseId)}::uuid[],
          ${links.map((l) => l.controlId)}::uuid[],
          ${links.map((l) => l.score)}::real[],
          ${links.map((l) => l.isConfirmed)}::boolean[]
        ) AS l (promise_id, control_id, score, is_confirmed)`,
    )
    .execute();
}

/** The org's annexes: the default first, then by when they were imported. */
export async function listAnnexes(tx: Tx): Promise<AnnexRow[]> {
  return tx
    .selectFrom('annexes')
    .select(annexColumns)
    .orderBy('is_default', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One annex, without its content. */
export async function findAnnex(tx: Tx, id: string): Promise<AnnexRow | undefined> {
  return tx.selectFrom('annexes').select(annexColumns).where('id', '=', id).executeTakeFirst();
}

/** One annex, locked for a change. */
export async function lockAnnex(tx: Tx, id: string): Promise<AnnexRow | undefined> {
  return tx
    .selectFrom('annexes')
    .select(annexColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Delete an annex; its promises and their control links go with it. */
export async function deleteAnnex(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('annexes').where('id', '=', id).execute();
}

/** A distinct tally of confirmed controls and how many promises (of an annex) have it. */
export interface TallyRow {
  annexId: string;
  counted: number;
  failing: number;
  due: number;
  passing: number;
  promises: number;
}

/**
 * How many promises have each tally of confirmed controls (counting neither archived nor
 * not-applicable ones), per annex, in one query.
 */
export async function countPromiseTallies(tx: Tx): Promise<TallyRow[]> {
  // Confirmed links are few next to suggestions: aggregate them first, then attach promises.
  const confirmed = tx
    .selectFrom('promise_controls as pc')
    .innerJoin('controls as c', 'c.id', 'pc.control_id')
    .select([
      'pc.promise_id',
      sql<number>`count(*)::int`.as('counted'),
      sql<number>`(count(*) FILTER (WHERE c.status = 'failing'))::int`.as('failing'),
      sql<number>`(count(*) FILTER (WHERE c.status = 'due'))::int`.as('due'),
      sql<number>`(count(*) FILTER (WHERE c.status = 'passing'))::int`.as('passing'),
    ])
    .where('pc.is_confirmed', '=', true)
    .where('c.archived_at', 'is', null)
    .where('c.implementation_status', '<>', 'not_applicable')
    .groupBy('pc.promise_id');
  const rows = await tx
    .selectFrom('promises as p')
    .leftJoin(confirmed.as('t'), 't.promise_id', 'p.id')
    .select([
      'p.annex_id',
      sql<number>`coalesce(t.counted, 0)`.as('counted'),
      sql<number>`coalesce(t.failing, 0)`.as('failing'),
      sql<number>`coalesce(t.due, 0)`.as('due'),
      sql<number>`coalesce(t.passing, 0)`.as('passing'),
      sql<number>`count(*)::int`.as('promises'),
    ])
    .groupBy(['p.annex_id', 't.counted', 't.failing', 't.due', 't.passing'])
    .execute();
  return rows.map((r) => ({
    annexId: r.annex_id,
    counted: r.counted,
    failing: r.failing,
    due: r.due,
    passing: r.passing,
    promises: r.promises,
  }));
}

/** The promises of an annex, in document order. */
export async function findPromises(tx: Tx, annexId: string): Promise<PromiseRow[]> {
  return tx
    .selectFrom('promises')
    .selectAll()
    .where('annex_id', '=', annexId)
    .orderBy('sort_order')
    .execute();
}

/** One promise, locked for a change. */
export async function lockPromise(tx: Tx, id: string): Promise<PromiseRow | undefined> {
  return tx.selectFrom('promises').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A control linked to a promise, with the control's current state. */
export interface LinkedControlRow {
  promise_id: string;
  control_id: string;
  score: number;
  is_confirmed: boolean;
  ref: string;
  title: string;
  section: number | null;
  status: string;
  status_reason: string;
  implementation_status: string;
  archived_at: Date | null;
}

/** The controls linked to the promises of an annex, or to one promise. */
export async function findLinkedControls(
  tx: Tx,
  scope: { annexId: string } | { promiseId: string },
): Promise<LinkedControlRow[]> {
  // Links and controls are read apart: right after a large import the planner's row estimates
  // are stale, and a single join of the three tables can degrade into a nested loop per promise.
  const links =
    'annexId' in scope
      ? await tx
          .selectFrom('promise_controls as pc')
          .innerJoin('promises as p', 'p.id', 'pc.promise_id')
          .select(['pc.promise_id', 'pc.control_id', 'pc.score', 'pc.is_confirmed'])
          .where('p.annex_id', '=', scope.annexId)
          .execute()
      : await tx
          .selectFrom('promise_controls')
          .select(['promise_id', 'control_id', 'score', 'is_confirmed'])
          .where('promise_id', '=', scope.promiseId)
          .execute();
  const ids = [...new Set(links.map((l) => l.control_id))];
  if (ids.length === 0) return [];
  const controls = await tx
    .selectFrom('controls')
    .select([
      'id',
      'ref',
      'title',
      'section',
      'status',
      'status_reason',
      'implementation_status',
      'archived_at',
    ])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(controls.map((c) => [c.id, c]));
  // A plain loop: Array.prototype.flatMap is many times slower over tens of thousands of rows.
  const rows: LinkedControlRow[] = [];
  for (const link of links) {
    const c = byId.get(link.control_id);
    if (!c) continue;
    rows.push({
      promise_id: link.promise_id,
      control_id: link.control_id,
      score: link.score,
      is_confirmed: link.is_confirmed,
      ref: c.ref,
      title: c.title,
      section: c.section,
      status: c.status,
      status_reason: c.status_reason,
      implementation_status: c.implementation_status,
      archived_at: c.archived_at,
    });
  }
  return rows;
}

/** Controls of the org among `ids`, with whether each is archived. */
export async function findControls(
  tx: Tx,
  ids: readonly string[],
): Promise<{ id: string; ref: string; archived_at: Date | null }[]> {
  if (ids.length === 0) return [];
  return tx
    .selectFrom('controls')
    .select(['id', 'ref', 'archived_at'])
    .where('id', 'in', ids)
    .execute();
}

/** Mark controls confirmed on a promise, adding the links that do not exist yet. */
export async function confirmPromiseControls(
  tx: Tx,
  orgId: string,
  promiseId: string,
  controlIds: readonly string[],
): Promise<void> {
  if (controlIds.length === 0) return;
  await tx
    .insertInto('promise_controls')
    .values(
      controlIds.map((controlId) => ({
        org_id: orgId,
        promise_id: promiseId,
        control_id: controlId,
        score: 0,
        is_confirmed: true,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['promise_id', 'control_id']).doUpdateSet({ is_confirmed: true }),
    )
    .execute();
}

/** Turn confirmed links of a promise back into suggestions. */
export async function unconfirmPromiseControls(
  tx: Tx,
  promiseId: string,
  controlIds: readonly string[],
): Promise<void> {
  if (controlIds.length === 0) return;
  await tx
    .updateTable('promise_controls')
    .set({ is_confirmed: false })
    .where('promise_id', '=', promiseId)
    .where('control_id', 'in', controlIds)
    .execute();
}

/** Remove links of a promise. */
export async function deletePromiseControls(
  tx: Tx,
  promiseId: string,
  controlIds: readonly string[],
): Promise<void> {
  if (controlIds.length === 0) return;
  await tx
    .deleteFrom('promise_controls')
    .where('promise_id', '=', promiseId)
    .where('control_id', 'in', controlIds)
    .execute();
}

/** Record that a person confirmed a promise's mapping. */
export async function markMappingConfirmed(tx: Tx, promiseId: string): Promise<void> {
  await tx
    .updateTable('promises')
    .set({ is_mapping_confirmed: true })
    .where('id', '=', promiseId)
    .execute();
}

/**
 * The text each live control is known by, for ranking it against promises: its reference,
 * title and description, and the title, text and guidance of every requirement it satisfies.
 */
export async function findControlDocuments(tx: Tx): Promise<{ id: string; text: string }[]> {
  const rows = await tx
    .selectFrom('controls as c')
    .leftJoin('control_requirements as cr', 'cr.control_id', 'c.id')
    .leftJoin('requirements as r', 'r.id', 'cr.requirement_id')
    .select([
      'c.id',
      'c.ref',
      'c.title',
      'c.description',
      sql<string>`coalesce(string_agg(concat_ws('. ', r.title, r.body, r.guidance), ' ' ORDER BY r.sort_order), '')`.as(
        'requirement_text',
      ),
    ])
    .where('c.archived_at', 'is', null)
    .groupBy('c.id')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    text: `${r.ref} ${r.title}. ${r.description} ${r.requirement_text}`,
  }));
}

/** Evidence covering a day, with a control it supports. */
export interface ControlEvidenceRow {
  control_id: string;
  id: string;
  title: string;
  kind: 'file' | 'link' | 'check_result';
  effective_to: string;
  collected_at: Date;
}

/**
 * Evidence items covering `day` linked to the controls: latest versions, not deleted, and not
 * check results (those prove a control through its check, as the status rules count them).
 */
export async function findCurrentControlEvidence(
  tx: Tx,
  controlIds: readonly string[],
  day: string,
): Promise<ControlEvidenceRow[]> {
  if (controlIds.length === 0) return [];
  return tx
    .selectFrom('evidence_controls as ec')
    .innerJoin('evidence as e', 'e.id', 'ec.evidence_id')
    .select(['ec.control_id', 'e.id', 'e.title', 'e.kind', 'e.effective_to', 'e.collected_at'])
    .where('ec.control_id', 'in', controlIds)
    .where('e.deleted_at', 'is', null)
    .where('e.kind', '<>', 'check_result')
    .where('e.effective_from', '<=', day)
    .where('e.effective_to', '>=', day)
    .where(
      sql<boolean>`NOT EXISTS (
        SELECT 1 FROM evidence n WHERE n.lineage_id = e.lineage_id AND n.version > e.version
      )`,
    )
    .execute();
}
