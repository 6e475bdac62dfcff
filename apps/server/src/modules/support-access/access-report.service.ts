import type { customerAccessReportSchema, customerAccessRowSchema } from '@steward/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { scopedUnitOfWork, type UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { formatCsv, todayUtc } from '../controls/index.ts';
import { addEvidence } from '../evidence/index.ts';
import { supportAccessKeys } from './support-access-checks.service.ts';
import { readCustomer, toCustomer } from './support-access-config.service.ts';
import type { SupportAccessDeps } from './support-access-deps.ts';
import * as repo from './support-access.repo.ts';

type AccessRow = z.output<typeof customerAccessRowSchema>;
type AccessReport = z.output<typeof customerAccessReportSchema>;

/** One report row per request: who, which system, when from and to, why, approved by, ending. */
export function toAccessRow(r: repo.RequestRow): AccessRow {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    requestId: r.id,
    requester: r.requester_name,
    requesterEmail: r.requester_email,
    system: r.system_name,
    level: r.level as AccessRow['level'],
    reason: r.reason,
    ticketRef: r.ticket_ref,
    requestedAt: r.created_at.toISOString(),
    approvedBy: r.status === 'denied' ? null : r.decided_by_label,
    approval:
      r.decided_at === null || r.status === 'denied'
        ? 'none'
        : r.auto_rule_name !== null
          ? 'on_call_rule'
          : 'person',
    decidedAt: iso(r.decided_at),
    from: iso(r.granted_at),
    to: r.granted_at === null ? null : iso(r.ended_at),
    expiresAt: iso(r.expires_at),
    status: r.status as AccessRow['status'],
    endedBy: r.status === 'denied' ? r.decided_by_label : r.ended_by_label,
    endReason: r.status === 'denied' ? r.decision_reason : r.end_reason,
  };
}

async function buildReport(tx: Tx, customerId: string, now: Date): Promise<AccessReport> {
  const customer = await readCustomer(tx, customerId);
  return {
    customer: toCustomer(customer),
    generatedAt: now.toISOString(),
    items: (await repo.findCustomerRequests(tx, customerId)).map(toAccessRow),
  };
}

/** Every support access request for a customer's data, oldest first. */
export async function getReport(uow: UnitOfWork, customerId: string): Promise<AccessReport> {
  return uow.read((tx) => buildReport(tx, customerId, new Date()));
}

const columns = [
  'request_id',
  'requester',
  'requester_email',
  'system',
  'level',
  'ticket',
  'reason',
  'requested_at',
  'approval',
  'approved_by',
  'decided_at',
  'access_from',
  'access_to',
  'expires_at',
  'outcome',
  'ended_by',
  'end_reason',
] as const;

/** The report as CSV. */
export function formatReportCsv(report: AccessReport): string {
  return formatCsv(
    columns,
    report.items.map((r) => [
      r.requestId,
      r.requester,
      r.requesterEmail,
      r.system,
      r.level,
      r.ticketRef,
      r.reason,
      r.requestedAt,
      r.approval,
      r.approvedBy,
      r.decidedAt,
      r.from,
      r.to,
      r.expiresAt,
      r.status,
      r.endedBy,
      r.endReason,
    ]),
  );
}

/** The customer's report as CSV. */
export async function exportReport(uow: UnitOfWork, customerId: string): Promise<string> {
  return formatReportCsv(await getReport(uow, customerId));
}

/**
 * Store the customer's access report (CSV) as evidence, for the quarterly support access review
 * task when the org has it, in one audited transaction.
 */
export async function saveReport(
  deps: Pick<SupportAccessDeps, 'blobStore' | 'tempDir'>,
  uow: UnitOfWork,
  identity: Identity,
  customerId: string,
  now = new Date(),
): Promise<{ evidenceId: string; rows: number }> {
  const file = path.join(deps.tempDir, `support-access-${randomUUID()}.csv`);
  try {
    return await uow.write(async (scope) => {
      const report = await buildReport(scope.tx, customerId, now);
      const csv = formatReportCsv(report);
      await mkdir(deps.tempDir, { recursive: true });
      await writeFile(file, csv);
      const taskId = await repo.findTask(scope.tx, supportAccessKeys.task);
      const evidence = await addEvidence(
        { blobStore: deps.blobStore },
        scopedUnitOfWork(uow, scope),
        { userId: identity.userId, label: identity.label },
        {
          fields: {
            title: `Support access report: ${report.customer.name}`,
            description: `Every support access request for the data of ${report.customer.name} (${report.customer.key}) as of ${now.toISOString()}: ${String(report.items.length)} request(s) with requester, system, level, ticket, approver, window and how each ended.`,
            controlIds: [],
            ...(taskId !== undefined ? { taskId } : {}),
          },
          file: {
            field: 'report',
            fileName: `support-access-${report.customer.key}-${todayUtc(now)}.csv`,
            mediaType: 'text/csv',
            path: file,
            sizeBytes: Buffer.byteLength(csv),
            sha256: createHash('sha256').update(csv).digest('hex'),
          },
        },
        now,
      );
      await scope.audit({
        action: 'support_access.report_saved',
        targetType: 'customer',
        targetId: customerId,
        changes: { evidenceId: evidence.id, rows: report.items.length },
      });
      return { evidenceId: evidence.id, rows: report.items.length };
    });
  } finally {
    await rm(file, { force: true });
  }
}
