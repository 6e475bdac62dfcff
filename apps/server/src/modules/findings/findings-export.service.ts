import type { findingQuerySchema } from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { formatCsvCell } from '../controls/index.ts';
import * as assetsRepo from './assets.repo.ts';
import { toFinding } from './findings.service.ts';
import * as repo from './findings.repo.ts';
import type { KeysetCursor } from './keyset.ts';

/** Columns of the findings CSV. */
export const findingsCsvColumns = [
  'id',
  'asset',
  'tool',
  'category',
  'severity',
  'state',
  'sla status',
  'due',
  'title',
  'vulnerability ids',
  'package',
  'version',
  'fix version',
  'cvss v3',
  'cvss v4',
  'kev',
  'occurrences',
  'first seen',
  'last seen',
  'canonical id',
] as const;

/** Rows read per transaction while exporting. */
export const exportBatchSize = 1000;

function toLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(formatCsvCell).join(',')}\r\n`;
}

/**
 * Findings matching the list's filters as CSV (RFC 4180, formula-like cells neutralised), every
 * page, streamed in batches so memory does not grow with the number of findings. The first batch
 * is read before the stream is returned, so a failure is still an error response.
 */
export async function streamFindingsCsv(
  uow: UnitOfWork,
  query: z.output<typeof findingQuerySchema>,
  now: Date = new Date(),
): Promise<Readable> {
  const readBatch = async (cursor: KeysetCursor | null) => {
    const page = await uow.read((tx) =>
      repo.findFindingsPage(tx, query, cursor, exportBatchSize, now),
    );
    const rows = page.rows.slice(0, exportBatchSize);
    const last = rows.at(-1);
    const next =
      page.rows.length > exportBatchSize && last
        ? { at: last.cursor_at, id: last.id }
        : page.resumeAfter;
    return { rows, next };
  };
  const first = await readBatch(null);
  async function* lines(): AsyncGenerator<string> {
    yield toLine([...findingsCsvColumns]);
    let batch = first;
    for (;;) {
      for (const row of batch.rows) {
        const f = toFinding(row, now);
        yield toLine([
          f.id,
          f.assetName,
          f.tool,
          f.category,
          f.severity,
          f.state,
          f.slaStatus,
          f.dueAt,
          f.title,
          f.vulnerabilityIds.join(' '),
          f.packageName,
          f.packageVersion,
          f.fixVersion,
          f.cvssV3Score,
          f.cvssV4Score,
          f.isKev ? 'yes' : 'no',
          f.occurrences,
          f.firstSeenAt,
          f.lastSeenAt,
          f.canonicalId,
        ]);
      }
      if (batch.next === null) return;
      batch = await readBatch(batch.next);
    }
  }
  return Readable.from(lines());
}

// Our triage in CycloneDX's words. An open finding has not been shown not to apply, so the
// vulnerability is stated exploitable; an accepted risk too, with the response "will not fix".
const vexStates: Record<string, { state: string; response?: string[] }> = {
  open: { state: 'exploitable' },
  risk_accepted: { state: 'exploitable', response: ['will_not_fix'] },
  false_positive: { state: 'false_positive' },
  not_affected: { state: 'not_affected' },
  fixed: { state: 'resolved', response: ['update'] },
};

function ratingOf(row: repo.VexRow): Record<string, unknown>[] {
  const ratings: Record<string, unknown>[] = [];
  if (row.cvss_v4_vector !== null) {
    ratings.push({
      method: 'CVSSv4',
      vector: row.cvss_v4_vector,
      ...(row.cvss_v4_score === null ? {} : { score: Number(row.cvss_v4_score) }),
      severity: row.severity,
    });
  }
  if (row.cvss_v3_vector !== null) {
    ratings.push({
      method: row.cvss_v3_vector.startsWith('CVSS:3.0/') ? 'CVSSv3' : 'CVSSv31',
      vector: row.cvss_v3_vector,
      ...(row.cvss_v3_score === null ? {} : { score: Number(row.cvss_v3_score) }),
      severity: row.severity,
    });
  }
  if (ratings.length === 0) ratings.push({ method: 'other', severity: row.severity });
  return ratings;
}

function componentRefOf(row: repo.VexRow): string {
  return (
    row.purl ??
    `pkg:generic/${encodeURIComponent(row.package_name ?? 'unknown')}@${encodeURIComponent(row.package_version ?? '')}`
  );
}

/**
 * The asset's CycloneDX 1.6 VEX document (JSON): one vulnerability per dependency finding (a
 * duplicate found by another tool is stated once, by its canonical finding), with the analysis
 * from our triage, and the affected components. Streamed in batches; the components, bounded by
 * the asset's distinct packages, are written last.
 */
export async function streamAssetVex(
  uow: UnitOfWork,
  assetId: string,
  version: string,
  now: Date = new Date(),
): Promise<{ assetName: string; stream: Readable }> {
  const asset = await uow.read((tx) => assetsRepo.findAsset(tx, assetId));
  if (!asset) throw new AppError('asset.not_found');
  const readBatch = (cursor: KeysetCursor | null) =>
    uow.read((tx) => repo.findVexPage(tx, assetId, cursor, exportBatchSize));
  const first = await readBatch(null);
  const header = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: 'Steward', version }] },
      component: { type: 'application', 'bom-ref': `asset:${asset.id}`, name: asset.name },
    },
  };
  async function* chunks(): AsyncGenerator<string> {
    const opening = JSON.stringify(header);
    yield `${opening.slice(0, -1)},"vulnerabilities":[`;
    const components = new Map<string, repo.VexRow>();
    let isFirst = true;
    let batch = first;
    for (;;) {
      for (const row of batch) {
        const ref = componentRefOf(row);
        if (!components.has(ref)) components.set(ref, row);
        const triage = vexStates[row.state] ?? { state: 'in_triage' };
        const [id, ...aliases] = row.vulnerability_ids;
        const vulnerability = {
          'bom-ref': `finding:${row.id}`,
          id,
          ...(aliases.length > 0
            ? { references: aliases.map((alias) => ({ id: alias, source: { name: 'alias' } })) }
            : {}),
          ratings: ratingOf(row),
          ...(row.cwes.length > 0 ? { cwes: row.cwes } : {}),
          ...(row.description === null ? {} : { description: row.description }),
          ...(row.fix_version === null ? {} : { recommendation: `Upgrade to ${row.fix_version}` }),
          analysis: {
            state: triage.state,
            ...(triage.response ? { response: triage.response } : {}),
            ...(row.state_reason === null ? {} : { detail: row.state_reason }),
            firstIssued: row.created_at.toISOString(),
            lastUpdated: row.state_changed_at.toISOString(),
          },
          affects: [{ ref }],
          properties: [{ name: 'steward:tool', value: row.tool }],
        };
        yield `${isFirst ? '' : ','}${JSON.stringify(vulnerability)}`;
        isFirst = false;
      }
      const last = batch.at(-1);
      if (batch.length < exportBatchSize || !last) break;
      batch = await readBatch({ at: last.cursor_at, id: last.id });
    }
    yield '],"components":[';
    let isFirstComponent = true;
    for (const [ref, row] of components) {
      const component = {
        type: 'library',
        'bom-ref': ref,
        name: row.package_name ?? ref,
        ...(row.package_version === null ? {} : { version: row.package_version }),
        ...(row.purl === null ? {} : { purl: row.purl }),
      };
      yield `${isFirstComponent ? '' : ','}${JSON.stringify(component)}`;
      isFirstComponent = false;
    }
    yield ']}';
  }
  return { assetName: asset.name, stream: Readable.from(chunks()) };
}
