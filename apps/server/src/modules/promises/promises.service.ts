import {
  maxPromiseEvidence,
  type annexDetailSchema,
  type annexSchema,
  type AnnexPromise,
  type ControlStatus,
} from '@steward/contracts';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { compareControls, formatCsv, todayUtc } from '../controls/index.ts';
import { AnnexTextError, parseAnnexText, type ParsedPromise } from './annex-text.ts';
import {
  classifyPromise,
  derivePromiseStatus,
  emptyPromiseCounts,
  isCounted,
  type PromiseStatus,
} from './promise-status.ts';
import * as repo from './promises.repo.ts';
import { buildSimilarityIndex } from './similarity.ts';

/** An annex as listed. */
export type Annex = z.infer<typeof annexSchema>;

/** An annex with its promises. */
export type AnnexDetail = z.infer<typeof annexDetailSchema>;

/** Controls suggested per promise at most. */
export const suggestionLimit = 5;

/** Suggestions scoring below this share too little with the promise to be worth showing. */
export const suggestionFloor = 0.15;

/** The annex text to import, pasted or uploaded. */
export interface AnnexInput {
  name: string;
  /** The request field the text came from, named in errors. */
  field: 'text' | 'file';
  fileName: string | null;
  content: Buffer | string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function toAnnex(row: repo.AnnexRow, counts: Record<PromiseStatus, number>): Annex {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    fileName: row.file_name,
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
    promiseCount: Object.values(counts).reduce((sum, n) => sum + n, 0),
    counts,
  };
}

function countsByAnnex(
  tallies: readonly repo.TallyRow[],
): Map<string, Record<PromiseStatus, number>> {
  const byAnnex = new Map<string, Record<PromiseStatus, number>>();
  for (const tally of tallies) {
    const counts = byAnnex.get(tally.annexId) ?? emptyPromiseCounts();
    counts[classifyPromise(tally)] += tally.promises;
    byAnnex.set(tally.annexId, counts);
  }
  return byAnnex;
}

function isCountedLink(link: repo.LinkedControlRow): boolean {
  return (
    link.is_confirmed &&
    isCounted({
      isArchived: link.archived_at !== null,
      implementationStatus: link.implementation_status,
    })
  );
}

/** The current evidence of the links' counted controls, newest first, each item once. */
function collectEvidence(
  links: readonly repo.LinkedControlRow[],
  byControl: ReadonlyMap<string, readonly repo.ControlEvidenceRow[]>,
): Pick<AnnexPromise, 'evidence' | 'evidenceCount'> {
  const items = new Map<string, { row: repo.ControlEvidenceRow; refs: string[] }>();
  const counted = links.filter(isCountedLink).sort((a, b) => compareControls(a, b));
  for (const link of counted) {
    for (const row of byControl.get(link.control_id) ?? []) {
      const item = items.get(row.id) ?? { row, refs: [] };
      item.refs.push(link.ref);
      items.set(row.id, item);
    }
  }
  const newestFirst = [...items.values()].sort(
    (a, b) =>
      b.row.effective_to.localeCompare(a.row.effective_to) ||
      b.row.collected_at.getTime() - a.row.collected_at.getTime() ||
      a.row.id.localeCompare(b.row.id),
  );
  return {
    evidence: newestFirst.slice(0, maxPromiseEvidence).map(({ row, refs }) => ({
      id: row.id,
      title: row.title,
      kind: row.kind,
      effectiveTo: row.effective_to,
      controlRefs: refs,
    })),
    evidenceCount: items.size,
  };
}

/** Current evidence of the counted controls among the links, by control. */
async function loadControlEvidence(
  tx: Tx,
  links: readonly repo.LinkedControlRow[],
): Promise<Map<string, repo.ControlEvidenceRow[]>> {
  const ids = [...new Set(links.filter(isCountedLink).map((l) => l.control_id))];
  const byControl = new Map<string, repo.ControlEvidenceRow[]>();
  for (const row of await repo.findCurrentControlEvidence(tx, ids, todayUtc())) {
    const list = byControl.get(row.control_id) ?? [];
    list.push(row);
    byControl.set(row.control_id, list);
  }
  return byControl;
}

function toPromise(
  row: repo.PromiseRow,
  links: readonly repo.LinkedControlRow[],
  evidenceByControl: ReadonlyMap<string, readonly repo.ControlEvidenceRow[]>,
): AnnexPromise {
  const confirmed = links.filter((l) => l.is_confirmed);
  const verdict = derivePromiseStatus(
    confirmed.map((l) => ({
      ref: l.ref,
      title: l.title,
      status: l.status as ControlStatus,
      statusReason: l.status_reason,
      isArchived: l.archived_at !== null,
      implementationStatus: l.implementation_status,
    })),
  );
  const suggested = links
    .filter((l) => !l.is_confirmed)
    .sort((a, b) => b.score - a.score || compareControls(a, b));
  const shown = [...confirmed.sort((a, b) => compareControls(a, b)), ...suggested].filter(
    // Archived controls count for nothing and cannot be chosen; only the reason mentions them.
    (l) => l.archived_at === null,
  );
  return {
    id: row.id,
    annexId: row.annex_id,
    ref: row.ref,
    sectionNumber: row.section_number,
    sectionTitle: row.section_title,
    body: row.body,
    line: row.line,
    status: verdict.status,
    statusReason: verdict.reason,
    isMappingConfirmed: row.is_mapping_confirmed,
    controls: shown.map((l) => ({
      id: l.control_id,
      ref: l.ref,
      title: l.title,
      status: l.status as ControlStatus,
      // A real column: keep the figure people see short and stable.
      score: Math.round(l.score * 1000) / 1000,
      isConfirmed: l.is_confirmed,
    })),
    ...collectEvidence(links, evidenceByControl),
  };
}

function groupLinks(links: readonly repo.LinkedControlRow[]): Map<string, repo.LinkedControlRow[]> {
  const byPromise = new Map<string, repo.LinkedControlRow[]>();
  for (const link of links) {
    const list = byPromise.get(link.promise_id) ?? [];
    list.push(link);
    byPromise.set(link.promise_id, list);
  }
  return byPromise;
}

async function loadAnnexDetail(tx: Tx, id: string): Promise<AnnexDetail> {
  const annex = await repo.findAnnex(tx, id);
  if (!annex) throw new AppError('annex.not_found');
  const [rows, links] = await Promise.all([
    repo.findPromises(tx, id),
    repo.findLinkedControls(tx, { annexId: id }),
  ]);
  const byPromise = groupLinks(links);
  const evidenceByControl = await loadControlEvidence(tx, links);
  const promises = rows.map((row) =>
    toPromise(row, byPromise.get(row.id) ?? [], evidenceByControl),
  );
  const counts = emptyPromiseCounts();
  for (const promise of promises) counts[promise.status] += 1;
  return { annex: toAnnex(annex, counts), promises };
}

/** The org's annexes with how many of their promises stand in each status. */
export async function listAnnexes(uow: UnitOfWork): Promise<Annex[]> {
  return uow.read(async (tx) => {
    const [annexes, tallies] = await Promise.all([
      repo.listAnnexes(tx),
      repo.countPromiseTallies(tx),
    ]);
    const counts = countsByAnnex(tallies);
    return annexes.map((a) => toAnnex(a, counts.get(a.id) ?? emptyPromiseCounts()));
  });
}

/** An annex with each promise, its status and its confirmed and suggested controls. */
export async function getAnnex(uow: UnitOfWork, id: string): Promise<AnnexDetail> {
  return uow.read((tx) => loadAnnexDetail(tx, id));
}

/** How many of the org's promises (of every annex) stand in each status. */
export async function promiseStatusCounts(tx: Tx): Promise<Record<PromiseStatus, number>> {
  const counts = emptyPromiseCounts();
  for (const tally of await repo.countPromiseTallies(tx)) {
    counts[classifyPromise(tally)] += tally.promises;
  }
  return counts;
}

function decodeContent(content: Buffer | string): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  // parseAnnexText accepted the bytes, so they are UTF-8, or UTF-16 behind a byte-order mark.
  if (content[0] === 0xff && content[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(content);
  if (content[0] === 0xfe && content[1] === 0xff)
    return new TextDecoder('utf-16be').decode(content);
  return new TextDecoder('utf-8').decode(content);
}

function parseAnnex(input: AnnexInput) {
  try {
    return parseAnnexText(input.content, input.fileName ?? undefined);
  } catch (error) {
    if (!(error instanceof AnnexTextError)) throw error;
    const line = error.where?.line;
    const where = line === undefined ? '' : ` (line ${line})`;
    throw new AppError('annex.invalid', error.message, [
      { path: input.field, message: `${error.message}${where}` },
    ]);
  }
}

function promiseBody(promise: ParsedPromise): string {
  // "Customer is responsible for: …" must not read as a promise of the company.
  return promise.leadIn ? `${promise.leadIn}: ${promise.text}` : promise.text;
}

/**
 * Import an annex: split it into promises and suggest, for each, the live controls whose texts
 * (with their requirements') are most alike. Nothing is stored unless all of it is.
 */
export async function importAnnex(uow: UnitOfWork, input: AnnexInput): Promise<AnnexDetail> {
  const parsed = parseAnnex(input);
  const content = decodeContent(input.content);
  return uow.write(async ({ tx, audit }) => {
    const annex = await repo.insertAnnex(tx, {
      orgId: uow.orgId,
      name: input.name,
      source: input.field === 'file' ? 'upload' : 'paste',
      fileName: input.fileName,
      sha256: sha256(content),
      content,
      isDefault: false,
    });
    const ids = await repo.insertPromises(
      tx,
      uow.orgId,
      annex.id,
      parsed.promises.map((p) => ({
        ref: p.ref,
        sectionNumber: p.sectionNumber,
        sectionTitle: p.sectionTitle,
        body: promiseBody(p),
        line: p.line,
        isMappingConfirmed: false,
      })),
    );
    const index = buildSimilarityIndex(await repo.findControlDocuments(tx));
    const suggestions: {
      promiseId: string;
      controlId: string;
      score: number;
      isConfirmed: boolean;
    }[] = [];
    for (const promise of parsed.promises) {
      const promiseId = ids.get(promise.ref);
      if (promiseId === undefined) continue;
      for (const match of index.rank(promise.text, suggestionLimit)) {
        if (match.score < suggestionFloor) break;
        suggestions.push({
          promiseId,
          controlId: match.id,
          score: match.score,
          isConfirmed: false,
        });
      }
    }
    await repo.insertPromiseControls(tx, uow.orgId, suggestions);
    await audit({
      action: 'annex.imported',
      targetType: 'annex',
      targetId: annex.id,
      changes: {
        name: annex.name,
        source: annex.source,
        fileName: annex.file_name,
        sha256: annex.sha256,
        sections: parsed.sections.length,
        promises: ids.size,
        suggestions: suggestions.length,
      },
    });
    return loadAnnexDetail(tx, annex.id);
  });
}

/** Remove an imported annex with its promises; the default annex stays. */
export async function deleteAnnex(uow: UnitOfWork, id: string): Promise<void> {
  await uow.write(async ({ tx, audit }) => {
    const annex = await repo.lockAnnex(tx, id);
    if (!annex) throw new AppError('annex.not_found');
    if (annex.is_default) {
      throw new AppError(
        'annex.default',
        `"${annex.name}" is the default annex and cannot be removed; import your own next to it`,
      );
    }
    await repo.deleteAnnex(tx, id);
    await audit({
      action: 'annex.deleted',
      targetType: 'annex',
      targetId: id,
      changes: { name: annex.name, source: annex.source, sha256: annex.sha256 },
    });
  });
}

/**
 * Set the controls a promise maps to: these become confirmed, previously confirmed ones that
 * were suggestions go back to being suggestions, and the mapping counts as reviewed.
 */
export async function setPromiseControls(
  uow: UnitOfWork,
  id: string,
  controlIds: readonly string[],
): Promise<AnnexPromise> {
  const wanted = [...new Set(controlIds)];
  return uow.write(async ({ tx, audit }) => {
    const promise = await repo.lockPromise(tx, id);
    if (!promise) throw new AppError('promise.not_found');
    const current = await repo.findLinkedControls(tx, { promiseId: id });
    const found = new Map((await repo.findControls(tx, wanted)).map((c) => [c.id, c]));
    const wasConfirmed = new Set(current.filter((l) => l.is_confirmed).map((l) => l.control_id));
    const problems: { path: string; message: string }[] = [];
    for (const controlId of wanted) {
      const control = found.get(controlId);
      const path = `controlIds.${controlIds.indexOf(controlId)}`;
      if (!control) problems.push({ path, message: `No such control: ${controlId}` });
      else if (control.archived_at !== null && !wasConfirmed.has(controlId)) {
        problems.push({ path, message: `${control.ref} is archived` });
      }
    }
    if (problems.length > 0) {
      throw new AppError(
        'request.invalid',
        `Choose controls of this organisation that are not archived: ${problems
          .map((p) => p.message)
          .join('; ')}`,
        problems,
      );
    }
    const keep = new Set(wanted);
    const dropped = current.filter((l) => l.is_confirmed && !keep.has(l.control_id));
    // Links a person added by hand were never suggestions; unconfirmed, they simply go.
    const backToSuggestions = dropped.filter((l) => l.score >= suggestionFloor);
    const removed = dropped.filter((l) => l.score < suggestionFloor);
    await repo.unconfirmPromiseControls(
      tx,
      id,
      backToSuggestions.map((l) => l.control_id),
    );
    await repo.deletePromiseControls(
      tx,
      id,
      removed.map((l) => l.control_id),
    );
    await repo.confirmPromiseControls(tx, uow.orgId, id, wanted);
    await repo.markMappingConfirmed(tx, id);
    await audit({
      action: 'promise.mapping_updated',
      targetType: 'promise',
      targetId: id,
      changes: {
        annexId: promise.annex_id,
        ref: promise.ref,
        added: wanted.filter((c) => !wasConfirmed.has(c)),
        removed: dropped.map((l) => l.control_id),
        controlIds: wanted,
      },
    });
    const row = await repo.lockPromise(tx, id);
    if (!row) throw new AppError('promise.not_found');
    const links = await repo.findLinkedControls(tx, { promiseId: id });
    return toPromise(row, links, await loadControlEvidence(tx, links));
  });
}

/** The promises of an annex as CSV, with a file name for the download. */
export async function exportPromisesCsv(
  uow: UnitOfWork,
  id: string,
): Promise<{ fileName: string; csv: string }> {
  const detail = await getAnnex(uow, id);
  const rows = detail.promises.map((p) => [
    p.ref,
    `${p.sectionNumber}. ${p.sectionTitle}`,
    p.body,
    p.status,
    p.statusReason,
    p.controls
      .filter((c) => c.isConfirmed)
      .map((c) => `${c.ref} ${c.title}`)
      .join('; '),
  ]);
  const slug =
    detail.annex.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'annex';
  return {
    fileName: `promises-${slug}.csv`,
    csv: formatCsv(['ref', 'section', 'promise', 'status', 'reason', 'confirmed controls'], rows),
  };
}
