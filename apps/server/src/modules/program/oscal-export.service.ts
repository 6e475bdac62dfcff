import type { oscalExportModels } from '@steward/contracts';
import { sql } from 'kysely';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import {
  buildAssessmentResults,
  buildComponentDefinition,
  buildPoam,
  buildSystemSecurityPlan,
  type ExportControl,
  type ExportInput,
  OscalError,
} from '../frameworks/index.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { findOrgName } from './program.repo.ts';

/** An OSCAL model Steward exports. */
export type OscalExportModel = (typeof oscalExportModels)[number];

const builders: Record<OscalExportModel, (input: ExportInput) => object> = {
  ssp: buildSystemSecurityPlan,
  'component-definition': buildComponentDefinition,
  'assessment-results': buildAssessmentResults,
  poam: buildPoam,
};

/** Most evidence items listed per control in an export (newest first). */
const evidencePerControl = 25;

async function loadExportControls(tx: Tx, publicUrl: URL): Promise<ExportControl[]> {
  const [controls, requirements, checks, evidence] = await Promise.all([
    tx
      .selectFrom('controls as c')
      .leftJoin('users as u', 'u.id', 'c.owner_id')
      .select([
        'c.id',
        'c.ref',
        'c.title',
        'c.description',
        'c.section',
        'c.implementation_status',
        'c.status',
        'c.status_reason',
        'u.name as owner_name',
        'u.email as owner_email',
      ])
      .where('c.archived_at', 'is', null)
      .orderBy('c.ref')
      .execute(),
    tx
      .selectFrom('control_requirements as cr')
      .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
      .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
      .select(['cr.control_id', 'f.key', 'f.name', 'r.ref', 'r.title'])
      .orderBy('f.key')
      .orderBy('r.sort_order')
      .execute(),
    tx
      .selectFrom('control_checks as cc')
      .innerJoin('checks as k', 'k.id', 'cc.check_id')
      .select(['cc.control_id', 'k.key', 'k.name', 'k.latest_status', 'k.latest_observed_at'])
      .orderBy('k.key')
      .execute(),
    sql<{
      control_id: string;
      id: string;
      title: string;
      kind: string;
      url: string | null;
      file_sha256: string | null;
      collected_at: Date;
      effective_from: string;
      effective_to: string;
    }>`
      SELECT control_id, id, title, kind, url, file_sha256, collected_at, effective_from, effective_to
        FROM (
          SELECT ec.control_id, e.*, row_number() OVER (
                   PARTITION BY ec.control_id ORDER BY e.collected_at DESC, e.id) AS n
            FROM evidence_controls ec
            JOIN evidence e ON e.id = ec.evidence_id
           WHERE e.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM evidence v
                              WHERE v.lineage_id = e.lineage_id AND v.version > e.version)
        ) ranked
       WHERE n <= ${evidencePerControl}
       ORDER BY control_id, n`.execute(tx),
  ]);
  const group = <T extends { control_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.control_id, [...(map.get(row.control_id) ?? []), row]);
    return map;
  };
  const requirementsOf = group(requirements);
  const checksOf = group(checks);
  const evidenceOf = group(evidence.rows);
  return controls.map((c) => ({
    id: c.id,
    ref: c.ref,
    title: c.title,
    description: c.description,
    section: c.section,
    implementationStatus:
      c.implementation_status === 'not_applicable'
        ? 'not-applicable'
        : (c.implementation_status as ExportControl['implementationStatus']),
    status: c.status as ExportControl['status'],
    statusReason: c.status_reason,
    owner: c.owner_name && c.owner_email ? { name: c.owner_name, email: c.owner_email } : null,
    requirements: (requirementsOf.get(c.id) ?? []).map((r) => ({
      frameworkKey: r.key,
      frameworkName: r.name,
      ref: r.ref,
      title: r.title,
    })),
    checks: (checksOf.get(c.id) ?? []).map((k) => ({
      key: k.key,
      name: k.name,
      lastStatus: k.latest_status,
      lastObservedAt: k.latest_observed_at?.toISOString() ?? null,
    })),
    evidence: (evidenceOf.get(c.id) ?? []).map((e) => ({
      id: e.id,
      title: e.title,
      href:
        e.kind === 'file'
          ? new URL(`/api/v1/evidence/${e.id}/content`, publicUrl).toString()
          : e.kind === 'link'
            ? e.url
            : new URL(`/api/v1/evidence/${e.id}`, publicUrl).toString(),
      sha256: e.file_sha256,
      collectedAt: e.collected_at.toISOString(),
      effectiveFrom: e.effective_from,
      effectiveTo: e.effective_to,
    })),
  }));
}

/** Export the org's program as an OSCAL document of the given model. */
export async function exportOscal(
  uow: UnitOfWork,
  model: OscalExportModel,
  deps: { publicUrl: URL; version: string },
): Promise<Record<string, unknown>> {
  const input = await uow.read(async (tx) => {
    const orgName = await findOrgName(tx);
    return {
      orgId: uow.orgId,
      orgName,
      systemName: `${orgName} service`,
      generatedAt: new Date(),
      stewardVersion: deps.version,
      controls: await loadExportControls(tx, deps.publicUrl),
    };
  });
  try {
    return builders[model](input) as Record<string, unknown>;
  } catch (error) {
    // OSCAL requires at least one item (a control, a failing item); an empty program cannot comply.
    if (error instanceof OscalError) throw new AppError('export.empty', error.message);
    throw error;
  }
}
