import type {
  Evidence,
  addEvidenceFieldsSchema,
  evidenceDetailSchema,
  evidenceQuerySchema,
} from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { ReceivedFile } from '../../platform/http/multipart.ts';
import type { BlobStore } from '../../platform/storage/index.ts';
import {
  addMonths,
  findEvidenceControls,
  refreshControlStatuses,
  todayUtc,
} from '../controls/index.ts';
import {
  completeOccurrence,
  findProgramRules,
  findTask,
  stateOf,
  type Supplier,
} from '../tasks/index.ts';
import * as repo from './evidence.repo.ts';

/** An evidence item with every version of its lineage. */
export type EvidenceDetail = z.infer<typeof evidenceDetailSchema>;

/** Text fields of an evidence upload. */
export type AddEvidenceFields = z.output<typeof addEvidenceFieldsSchema>;

/** What the evidence service needs. */
export interface EvidenceServiceDeps {
  blobStore: BlobStore;
}

/** How far in the future a collection time may be (clocks disagree a little). */
const collectedAtSkewMs = 5 * 60_000;

/** Months an item covers when neither an end date nor a task says otherwise. */
export const defaultEffectiveMonths = 12;

function invalid(path: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ path, message }]);
}

/** A media type safe to store and send back: `type/subtype` in lower case, else octet-stream. */
export function sanitizeMediaType(value: string | undefined): string {
  const type = (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/.test(type)
    ? type
    : 'application/octet-stream';
}

/** A file name as stored: its last path segment, no control characters, at most 255 characters. */
export function sanitizeFileName(value: string | undefined): string {
  const base = (value ?? '').split(/[/\\]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const name = cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
  // Cut by code points so a name is never left with half a surrogate pair.
  return Array.from(name).slice(0, 255).join('');
}

/** The effective period of a new item: given dates, else from the collection day for a cadence. */
export function resolveEffectivePeriod(input: {
  collectedAt: Date;
  effectiveFrom: string | undefined;
  effectiveTo: string | undefined;
  cadenceMonths: number | null;
}): { effectiveFrom: string; effectiveTo: string } {
  const effectiveFrom = input.effectiveFrom ?? todayUtc(input.collectedAt);
  const effectiveTo =
    input.effectiveTo ?? addMonths(effectiveFrom, input.cadenceMonths ?? defaultEffectiveMonths);
  return { effectiveFrom, effectiveTo };
}

async function toDtos(tx: Tx, rows: readonly repo.EvidenceRow[]): Promise<Evidence[]> {
  const [controls, rules] = await Promise.all([
    findEvidenceControls(
      tx,
      rows.map((r) => r.id),
    ),
    findProgramRules(tx),
  ]);
  return rows.map((row) =>
    repo.toEvidence(row, controls.get(row.id) ?? [], rules.evidenceRetentionDays),
  );
}

async function readEvidence(tx: Tx, id: string): Promise<Evidence> {
  const row = await repo.findEvidence(tx, id);
  if (!row) throw new AppError('evidence.not_found');
  const [dto] = await toDtos(tx, [row]);
  if (!dto) throw new AppError('evidence.not_found');
  return dto;
}

async function checkControls(tx: Tx, controlIds: readonly string[], path: string): Promise<void> {
  const found = await repo.findExistingControlIds(tx, controlIds);
  const missing = controlIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw invalid(path, `No such control in this organisation: ${missing.join(', ')}`);
  }
}

/** Upload input: validated text fields and at most one received file. */
export interface AddEvidenceInput {
  fields: AddEvidenceFields;
  file: ReceivedFile | undefined;
}

/**
 * Add evidence: a file (stored once by its SHA-256, whoever sent the same bytes before) or a
 * link. In one audited transaction: the item (version 1 of a new lineage, or the next version of
 * the lineage of `replaces`, which keeps the older versions readable), its control links (a new
 * version without `controlIds` or `taskId` keeps those of the version it replaces; a task adds
 * its control), and — when it is for a task and covers today — the completion of the task's open
 * occurrence. The statuses of the affected controls are recomputed. Bytes stored before a
 * transaction that then fails are left in place: content-addressed, they are harmless and reused
 * by the next upload of the same file.
 */
export async function addEvidence(
  deps: EvidenceServiceDeps,
  uow: UnitOfWork,
  supplier: Supplier,
  input: AddEvidenceInput,
  now: Date = new Date(),
): Promise<Evidence> {
  const { fields, file } = input;
  if (file && fields.url !== undefined) {
    throw invalid('url', 'Give a file or a link, not both');
  }
  if (!file && fields.url === undefined) {
    throw new AppError('evidence.file_missing', undefined, [
      { path: 'file', message: 'Attach a file, or give a link in url' },
    ]);
  }
  const collectedAt = fields.collectedAt ? new Date(fields.collectedAt) : now;
  if (collectedAt.getTime() > now.getTime() + collectedAtSkewMs) {
    throw invalid('collectedAt', 'Evidence cannot be collected in the future');
  }
  if (
    fields.effectiveFrom !== undefined &&
    fields.effectiveTo !== undefined &&
    fields.effectiveTo < fields.effectiveFrom
  ) {
    throw invalid('effectiveTo', 'The effective period must end on or after its start');
  }
  const content = file
    ? {
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        mediaType: sanitizeMediaType(file.mediaType),
        fileName: sanitizeFileName(file.fileName),
      }
    : null;
  if (file && content) {
    await deps.blobStore.put(content.sha256, file.path, content.sizeBytes, content.mediaType);
  }

  return uow.write(async (scope) => {
    const { tx } = scope;
    const rules = await findProgramRules(tx);
    let previous: repo.EvidenceRow | undefined;
    if (fields.replaces !== undefined) {
      previous = await repo.findEvidence(tx, fields.replaces);
      if (!previous) throw invalid('replaces', 'No such evidence to replace');
      await repo.lockLineage(tx, previous.lineage_id);
    }
    const controlIds = [...new Set(fields.controlIds)];
    await checkControls(tx, controlIds, 'controlIds');
    const taskId = fields.taskId ?? previous?.task_id ?? undefined;
    const task = taskId !== undefined ? await findTask(tx, taskId, { forUpdate: true }) : undefined;
    if (taskId !== undefined && !task) throw invalid('taskId', 'No such task in this organisation');
    if (previous && fields.controlIds.length === 0) {
      controlIds.push(...(await repo.findLinkedControlIds(tx, previous.id)));
    }
    if (task && !controlIds.includes(task.control_id)) controlIds.push(task.control_id);

    const { effectiveFrom, effectiveTo } = resolveEffectivePeriod({
      collectedAt,
      effectiveFrom: fields.effectiveFrom,
      effectiveTo: fields.effectiveTo,
      cadenceMonths: task?.cadence_months ?? null,
    });
    if (effectiveTo < effectiveFrom) {
      throw invalid('effectiveTo', 'The effective period must end on or after its start');
    }

    let fileRecord: 'inserted' | 'restored' | 'existing' | null = null;
    if (file && content) {
      await repo.lockContent(tx, content.sha256);
      // A deletion may have removed these bytes since they were stored above; store them again.
      if (!(await deps.blobStore.has(content.sha256))) {
        await deps.blobStore.put(content.sha256, file.path, content.sizeBytes, content.mediaType);
      }
      fileRecord = await repo.upsertEvidenceFile(tx, {
        orgId: uow.orgId,
        sha256: content.sha256,
        sizeBytes: content.sizeBytes,
        mediaType: content.mediaType,
        storage: deps.blobStore.kind,
      });
    }

    const id = randomUUID();
    const lineageId = previous?.lineage_id ?? id;
    const version = previous ? (await repo.findLatestVersion(tx, lineageId)) + 1 : 1;
    await repo.insertEvidence(tx, {
      id,
      orgId: uow.orgId,
      lineageId,
      version,
      kind: content ? 'file' : 'link',
      title: fields.title,
      description: fields.description,
      fileSha256: content?.sha256 ?? null,
      fileName: content?.fileName ?? null,
      mediaType: content?.mediaType ?? null,
      sizeBytes: content?.sizeBytes ?? null,
      url: content ? null : (fields.url ?? null),
      collectedAt,
      effectiveFrom,
      effectiveTo,
      suppliedByUserId: supplier.userId,
      suppliedBy: supplier.label,
      taskId: task?.id ?? null,
    });
    await repo.insertEvidenceControls(tx, uow.orgId, id, controlIds);
    await scope.audit({
      action: 'evidence.added',
      targetType: 'evidence',
      targetId: id,
      changes: {
        title: fields.title,
        kind: content ? 'file' : 'link',
        lineageId,
        version,
        ...(previous ? { replaces: previous.id } : {}),
        ...(content
          ? {
              sha256: content.sha256,
              sizeBytes: content.sizeBytes,
              fileName: content.fileName,
              mediaType: content.mediaType,
              isNewContent: fileRecord === 'inserted' || fileRecord === 'restored',
            }
          : { url: fields.url }),
        collectedAt: collectedAt.toISOString(),
        effectiveFrom,
        effectiveTo,
        controlIds,
        taskId: task?.id ?? null,
      },
    });

    const today = todayUtc(now);
    if (task?.is_active && effectiveFrom <= today && today <= effectiveTo) {
      // Evidence for a task that covers today completes the task's open occurrence; once
      // completed (state done), more evidence does not move the schedule again.
      if (stateOf(task, today, rules.taskDueWindowDays) !== 'done') {
        await completeOccurrence(scope, uow.orgId, task, {
          evidenceIds: [id],
          note: '',
          completedBy: supplier,
          now,
          dueWindowDays: rules.taskDueWindowDays,
          trigger: 'evidence',
        });
      }
    }
    await refreshControlStatuses(scope, uow.orgId, controlIds, { today });
    return readEvidence(tx, id);
  });
}

/** One evidence item (deleted ones too) with every version of its lineage, newest first. */
export async function getEvidence(uow: UnitOfWork, id: string): Promise<EvidenceDetail> {
  return uow.read(async (tx) => {
    const row = await repo.findEvidence(tx, id);
    if (!row) throw new AppError('evidence.not_found');
    const versions = await repo.findLineage(tx, row.lineage_id);
    const dtos = await toDtos(tx, versions);
    const evidence = dtos.find((d) => d.id === id);
    if (!evidence) throw new AppError('evidence.not_found');
    return { evidence, versions: dtos };
  });
}

/** The opaque form of a library position. */
export function encodeCursor(cursor: repo.EvidenceCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** Read a cursor from a previous page; a damaged one is a client mistake naming `cursor`. */
export function decodeCursor(text: string): repo.EvidenceCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Reported below like any other damaged cursor.
  }
  throw invalid('cursor', 'This cursor is not one a previous page gave; start from the first page');
}

/**
 * A page of the evidence library, newest first (keyset pagination on creation time and id, so
 * deep pages cost what the first does). Latest versions only unless `includeSuperseded`;
 * deleted items are left out.
 */
export async function listEvidence(
  uow: UnitOfWork,
  query: z.output<typeof evidenceQuerySchema>,
): Promise<{ items: Evidence[]; nextCursor: string | null }> {
  const cursor = query.cursor !== undefined ? decodeCursor(query.cursor) : null;
  return uow.read(async (tx) => {
    const rows = await repo.findEvidencePage(
      tx,
      {
        controlId: query.controlId,
        taskId: query.taskId,
        kind: query.kind,
        q: query.q,
        coversDay: query.coversDay,
        includeSuperseded: query.includeSuperseded,
      },
      cursor,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: await toDtos(tx, page),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ createdAt: last.cursor_at, id: last.id })
          : null,
    };
  });
}

/** A file ready to stream to the client. */
export interface EvidenceDownload {
  stream: Readable;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

/** Open the stored file of an evidence item; a link has none, a deleted item is gone (410). */
export async function openEvidenceFile(
  deps: EvidenceServiceDeps,
  uow: UnitOfWork,
  id: string,
): Promise<EvidenceDownload> {
  const row = await uow.read((tx) => repo.findEvidence(tx, id));
  if (!row) throw new AppError('evidence.not_found');
  if (row.deleted_at !== null) throw new AppError('evidence.deleted');
  if (row.kind !== 'file' || row.file_sha256 === null) {
    throw new AppError(
      'evidence.not_found',
      'This evidence is not a file; it has nothing to download',
    );
  }
  return {
    stream: await deps.blobStore.open(row.file_sha256),
    fileName: row.file_name ?? 'evidence',
    mediaType: row.media_type ?? 'application/octet-stream',
    sizeBytes: Number(row.size_bytes ?? 0),
    sha256: row.file_sha256,
  };
}

/** Link evidence to more controls (links already there are kept); their statuses are recomputed. */
export async function linkEvidence(
  uow: UnitOfWork,
  id: string,
  controlIds: readonly string[],
): Promise<Evidence> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const row = await repo.findEvidence(tx, id);
    if (!row) throw new AppError('evidence.not_found');
    if (row.deleted_at !== null) throw new AppError('evidence.deleted');
    const wanted = [...new Set(controlIds)];
    await checkControls(tx, wanted, 'controlIds');
    const added = await repo.insertEvidenceControls(tx, uow.orgId, id, wanted);
    await scope.audit({
      action: 'evidence.linked',
      targetType: 'evidence',
      targetId: id,
      changes: { controlIds: added },
    });
    await refreshControlStatuses(scope, uow.orgId, added);
    return readEvidence(tx, id);
  });
}

/**
 * Delete evidence once its retention period (counted from collection) is over; inside it the
 * request is refused (409). Only the deletion marker is set (the database allows nothing else),
 * the statuses of its controls are recomputed, and when no item of the org still uses its file
 * the org's record of the content is marked purged. The bytes themselves are removed after
 * commit, once no organisation keeps them (checked again under the content lock, so an upload
 * reusing them in between is never left without its bytes).
 */
export async function deleteEvidence(
  deps: EvidenceServiceDeps,
  uow: UnitOfWork,
  deletedByUserId: string | null,
  id: string,
  now: Date = new Date(),
): Promise<Evidence> {
  return uow.write(async (scope: WriteScope) => {
    const { tx } = scope;
    const row = await repo.findEvidence(tx, id);
    if (!row) throw new AppError('evidence.not_found');
    if (row.deleted_at !== null) throw new AppError('evidence.deleted');
    const rules = await findProgramRules(tx);
    const until = repo.retainedUntil(row.collected_at, rules.evidenceRetentionDays);
    if (now < until) {
      throw new AppError(
        'evidence.in_retention',
        `This evidence is kept for ${String(rules.evidenceRetentionDays)} days after it was collected; it can be deleted from ${until.toISOString()}`,
      );
    }
    await repo.markDeleted(tx, id, deletedByUserId, now);
    let isPurged = false;
    if (row.file_sha256 !== null) {
      await repo.lockContent(tx, row.file_sha256);
      if (!(await repo.isContentUsedByOrg(tx, row.file_sha256))) {
        await repo.markContentPurged(tx, row.file_sha256, now);
        isPurged = true;
      }
    }
    await scope.audit({
      action: 'evidence.deleted',
      targetType: 'evidence',
      targetId: id,
      changes: {
        title: row.title,
        kind: row.kind,
        lineageId: row.lineage_id,
        version: row.version,
        sha256: row.file_sha256,
        collectedAt: row.collected_at.toISOString(),
        retainedUntil: until.toISOString(),
        isContentPurged: isPurged,
      },
    });
    const controlIds = await repo.findLinkedControlIds(tx, id);
    if (row.task_id !== null) {
      const taskControl = await repo.findTaskControlId(tx, row.task_id);
      if (taskControl !== undefined) controlIds.push(taskControl);
    }
    await refreshControlStatuses(scope, uow.orgId, controlIds);
    const sha256 = row.file_sha256;
    if (isPurged && sha256 !== null) {
      scope.afterCommit(() => removeUnusedContent(deps, uow, sha256));
    }
    return readEvidence(tx, id);
  });
}

/** Remove stored bytes when no organisation keeps them any more (under the content lock). */
async function removeUnusedContent(
  deps: EvidenceServiceDeps,
  uow: UnitOfWork,
  sha256: string,
): Promise<void> {
  await uow.read(async (tx) => {
    await repo.lockContent(tx, sha256);
    if (!(await repo.isContentKeptAnywhere(tx, sha256))) await deps.blobStore.remove(sha256);
  });
}
