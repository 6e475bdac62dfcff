import { Readable } from 'node:stream';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { findEvidenceControls, formatCsvCell } from '../controls/index.ts';
import * as repo from './evidence.repo.ts';

/** Columns of the evidence index CSV. */
export const evidenceCsvColumns = [
  'id',
  'lineage',
  'version',
  'title',
  'kind',
  'file name',
  'size',
  'sha256',
  'url',
  'collected',
  'effective from',
  'effective to',
  'supplied by',
  'controls',
] as const;

/** Rows read per transaction while exporting. */
export const exportBatchSize = 1000;

function toLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(formatCsvCell).join(',')}\r\n`;
}

async function readBatch(uow: UnitOfWork, cursor: repo.EvidenceCursor | null) {
  return uow.read(async (tx) => {
    const rows = await repo.findEvidencePage(
      tx,
      { includeSuperseded: true },
      cursor,
      exportBatchSize,
    );
    const controls = await findEvidenceControls(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({
      cursor: { createdAt: row.cursor_at, id: row.id },
      line: toLine([
        row.id,
        row.lineage_id,
        row.version,
        row.title,
        row.kind,
        row.file_name,
        row.size_bytes === null ? null : Number(row.size_bytes),
        row.file_sha256,
        row.url,
        row.collected_at.toISOString(),
        row.effective_from,
        row.effective_to,
        row.supplied_by,
        (controls.get(row.id) ?? []).map((c) => c.ref).join('; '),
      ]),
    }));
  });
}

/**
 * The evidence index as CSV (every version that is not deleted, newest first; RFC 4180 with
 * formula-like cells neutralised), streamed in batches so memory does not grow with the library.
 * The first batch is read before the stream is returned, so a failure is still an error response.
 */
export async function streamEvidenceCsv(uow: UnitOfWork): Promise<Readable> {
  const first = await readBatch(uow, null);
  async function* lines(): AsyncGenerator<string> {
    yield toLine([...evidenceCsvColumns]);
    let batch = first;
    for (;;) {
      for (const item of batch) yield item.line;
      const last = batch.at(-1);
      if (batch.length < exportBatchSize || !last) return;
      batch = await readBatch(uow, last.cursor);
    }
  }
  return Readable.from(lines());
}
