import type { ControlStatus, Evidence } from '@steward/contracts';
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { EvidenceTable } from '../../platform/db/schema.ts';

/** An evidence row with whether a newer version of its lineage exists. */
export type EvidenceRow = Selectable<EvidenceTable> & { is_superseded: boolean };

/** A control as evidence lists it. */
export interface ControlRef {
  id: string;
  ref: string;
  title: string;
  status: ControlStatus;
}

const isSuperseded = sql<boolean>`EXISTS (
  SELECT 1 FROM evidence n WHERE n.lineage_id = e.lineage_id AND n.version > e.version
)`;

const isLatest = sql<boolean>`NOT EXISTS (
  SELECT 1 FROM evidence n WHERE n.lineage_id = e.lineage_id AND n.version > e.version
)`;

function selectEvidence(tx: Tx) {
  return tx.selectFrom('evidence as e').selectAll('e').select(isSuperseded.as('is_superseded'));
}

/** Map a row to the API shape; evidence may be deleted from `retainedUntil` on. */
export function toEvidence(
  row: EvidenceRow,
  controls: readonly ControlRef[],
  retentionDays: number,
): Evidence {
  return {
    id: row.id,
    lineageId: row.lineage_id,
    version: row.version,
    isSuperseded: row.is_superseded,
    kind: row.kind,
    title: row.title,
    description: row.description,
    fileName: row.file_name,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.file_sha256,
    url: row.url,
    collectedAt: row.collected_at.toISOString(),
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    suppliedBy: row.supplied_by,
    taskId: row.task_id,
    controls: [...controls],
    createdAt: row.created_at.toISOString(),
    deletedAt: row.deleted_at?.toISOString() ?? null,
    retainedUntil: retainedUntil(row.collected_at, retentionDays).toISOString(),
  };
}

/** The end of an item's retention: its collection time plus the retention period. */
export function retainedUntil(collectedAt: Date, retentionDays: number): Date {
  return new Date(collectedAt.getTime() + retentionDays * 86_400_000);
}

/** One evidence item. */
export async function findEvidence(tx: Tx, id: string): Promise<EvidenceRow | undefined> {
  return selectEvidence(tx).where('e.id', '=', id).executeTakeFirst();
}

/** Every version of a lineage, newest first. */
export async function findLineage(tx: Tx, lineageId: string): Promise<EvidenceRow[]> {
  return selectEvidence(tx)
    .where('e.lineage_id', '=', lineageId)
    .orderBy('e.version', 'desc')
    .execute();
}

/** The highest version of a lineage. */
export async function findLatestVersion(tx: Tx, lineageId: string): Promise<number> {
  const row = await tx
    .selectFrom('evidence')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('lineage_id', '=', lineageId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** Which of these control ids exist in the org. */
export async function findExistingControlIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('controls').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Hold a transaction-scoped lock on stored content, so an upload that reuses it and a deletion
 * that removes it never interleave.
 */
export async function lockContent(tx: Tx, sha256: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`evidence-content:${sha256}`}, 0))`.execute(
    tx,
  );
}

/** Hold a transaction-scoped lock on a lineage while its next version is numbered. */
export async function lockLineage(tx: Tx, lineageId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`evidence-lineage:${lineageId}`}, 0))`.execute(
    tx,
  );
}

/** Record that the org stores this content (again, when its bytes had been purged). */
export async function upsertEvidenceFile(
  tx: Tx,
  values: {
    orgId: string;
    sha256: string;
    sizeBytes: number;
    mediaType: string;
    storage: 'local' | 's3';
  },
): Promise<'inserted' | 'restored' | 'existing'> {
  const existing = await tx
    .selectFrom('evidence_files')
    .select(['purged_at'])
    .where('sha256', '=', values.sha256)
    .executeTakeFirst();
  if (!existing) {
    await tx
      .insertInto('evidence_files')
      .values({
        org_id: values.orgId,
        sha256: values.sha256,
        size_bytes: values.sizeBytes,
        media_type: values.mediaType,
        storage: values.storage,
      })
      .execute();
    return 'inserted';
  }
  if (existing.purged_at === null) return 'existing';
  await tx
    .updateTable('evidence_files')
    .set({ purged_at: null, storage: values.storage })
    .where('sha256', '=', values.sha256)
    .execute();
  return 'restored';
}

/** Insert an evidence row. */
export async function insertEvidence(
  tx: Tx,
  values: {
    id: string;
    orgId: string;
    lineageId: string;
    version: number;
    kind: 'file' | 'link';
    title: string;
    description: string;
    fileSha256: string | null;
    fileName: string | null;
    mediaType: string | null;
    sizeBytes: number | null;
    url: string | null;
    collectedAt: Date;
    effectiveFrom: string;
    effectiveTo: string;
    suppliedByUserId: string | null;
    suppliedBy: string;
    taskId: string | null;
  },
): Promise<void> {
  await tx
    .insertInto('evidence')
    .values({
      id: values.id,
      org_id: values.orgId,
      lineage_id: values.lineageId,
      version: values.version,
      kind: values.kind,
      title: values.title,
      description: values.description,
      file_sha256: values.fileSha256,
      file_name: values.fileName,
      media_type: values.mediaType,
      size_bytes: values.sizeBytes,
      url: values.url,
      check_result_id: null,
      collected_at: values.collectedAt,
      effective_from: values.effectiveFrom,
      effective_to: values.effectiveTo,
      supplied_by_user_id: values.suppliedByUserId,
      supplied_by: values.suppliedBy,
      task_id: values.taskId,
    })
    .execute();
}

/** Link an evidence item to controls; returns the ids that were not linked before. */
export async function insertEvidenceControls(
  tx: Tx,
  orgId: string,
  evidenceId: string,
  controlIds: readonly string[],
): Promise<string[]> {
  if (controlIds.length === 0) return [];
  const rows = await tx
    .insertInto('evidence_controls')
    .values(controlIds.map((id) => ({ org_id: orgId, evidence_id: evidenceId, control_id: id })))
    .onConflict((oc) => oc.doNothing())
    .returning('control_id')
    .execute();
  return rows.map((r) => r.control_id);
}

/** The ids of the controls an evidence item is linked to. */
export async function findLinkedControlIds(tx: Tx, evidenceId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('evidence_controls')
    .select('control_id')
    .where('evidence_id', '=', evidenceId)
    .execute();
  return rows.map((r) => r.control_id);
}

/** The control of a task, when the task exists. */
export async function findTaskControlId(tx: Tx, taskId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('evidence_tasks')
    .select('control_id')
    .where('id', '=', taskId)
    .executeTakeFirst();
  return row?.control_id;
}

/** Set the deletion marker (the only change the database lets evidence take). */
export async function markDeleted(
  tx: Tx,
  id: string,
  deletedByUserId: string | null,
  at: Date,
): Promise<void> {
  await tx
    .updateTable('evidence')
    .set({ deleted_at: at, deleted_by_user_id: deletedByUserId })
    .where('id', '=', id)
    .execute();
}

/** Whether any evidence of the org that is not deleted uses this content. */
export async function isContentUsedByOrg(tx: Tx, sha256: string): Promise<boolean> {
  const row = await tx
    .selectFrom('evidence')
    .select('id')
    .where('file_sha256', '=', sha256)
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Mark the org's record of this content as purged. */
export async function markContentPurged(tx: Tx, sha256: string, at: Date): Promise<void> {
  await tx
    .updateTable('evidence_files')
    .set({ purged_at: at })
    .where('sha256', '=', sha256)
    .where('purged_at', 'is', null)
    .execute();
}

/** Whether any org still keeps this content (only a yes/no crosses tenants). */
export async function isContentKeptAnywhere(tx: Tx, sha256: string): Promise<boolean> {
  const result = await sql<{
    in_use: boolean;
  }>`SELECT evidence_blob_in_use(${sha256}) AS in_use`.execute(tx);
  return result.rows[0]?.in_use ?? true;
}

/** Position in the library after which a page starts. */
export interface EvidenceCursor {
  createdAt: string;
  id: string;
}

/** Filters of the evidence library. */
export interface EvidenceFilters {
  controlId?: string | undefined;
  taskId?: string | undefined;
  kind?: 'file' | 'link' | 'check_result' | undefined;
  q?: string | undefined;
  coversDay?: string | undefined;
  includeSuperseded?: boolean | undefined;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function selectPage(tx: Tx, filters: EvidenceFilters) {
  let query = selectEvidence(tx)
    .select(
      sql<string>`to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'cursor_at',
      ),
    )
    .where('e.deleted_at', 'is', null);
  if (filters.includeSuperseded !== true) query = query.where(isLatest);
  if (filters.controlId !== undefined) {
    const controlId = filters.controlId;
    query = query.where('e.id', 'in', (eb) =>
      eb
        .selectFrom('evidence_controls as ec')
        .select('ec.evidence_id')
        .where('ec.control_id', '=', controlId),
    );
  }
  if (filters.taskId !== undefined) query = query.where('e.task_id', '=', filters.taskId);
  if (filters.kind !== undefined) query = query.where('e.kind', '=', filters.kind);
  if (filters.coversDay !== undefined) {
    query = query
      .where('e.effective_from', '<=', filters.coversDay)
      .where('e.effective_to', '>=', filters.coversDay);
  }
  return query.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc');
}

/** A library row with its own position (microseconds, which a JS Date would lose). */
export type EvidencePageRow = EvidenceRow & { cursor_at: string };

/** Ids of matching items are fetched this many at a time while a search fills a page. */
const searchChunk = 500;

/**
 * A page of the library, newest first by (created_at, id), starting after `cursor`; deleted
 * items are left out. A text search walks the ids `evidence_search` returns (through the
 * trigram index, in the caller's org only) chunk by chunk until the page is full, applying the
 * other filters to each chunk.
 */
export async function findEvidencePage(
  tx: Tx,
  filters: EvidenceFilters,
  cursor: EvidenceCursor | null,
  limit: number,
): Promise<EvidencePageRow[]> {
  if (filters.q === undefined || filters.q === '') {
    let query = selectPage(tx, filters);
    if (cursor !== null) {
      query = query.where(
        sql<boolean>`(e.created_at, e.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`,
      );
    }
    return query.limit(limit).execute();
  }
  const pattern = `%${escapeLike(filters.q)}%`;
  const rows: EvidencePageRow[] = [];
  let position = cursor;
  for (;;) {
    const hits = await sql<{ id: string; position_at: string }>`
      SELECT id, position_at FROM evidence_search(${pattern}, ${position?.createdAt ?? null}::timestamptz,
        ${position?.id ?? null}::uuid, ${searchChunk})`.execute(tx);
    const ids = hits.rows.map((h) => h.id);
    if (ids.length > 0) {
      rows.push(
        ...(await selectPage(tx, filters)
          .where(sql<boolean>`e.id = ANY(${ids}::uuid[])`)
          .limit(limit - rows.length)
          .execute()),
      );
    }
    const last = hits.rows.at(-1);
    if (rows.length >= limit || hits.rows.length < searchChunk || !last) return rows;
    position = { createdAt: last.position_at, id: last.id };
  }
}
