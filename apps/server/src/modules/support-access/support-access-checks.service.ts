import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import { recordCheckResultIn } from '../controls/index.ts';
import * as repo from './support-access.repo.ts';

/** The annex task and checks support access feeds (DAT-03, requirement 11.3). */
export const supportAccessKeys = {
  task: 'support_access.quarterly_log_review',
  approved: 'support_access.grants_approved',
  expired: 'support_access.grants_expired',
} as const;

const checkSupplier = { userId: null, label: 'Steward support access' };

// The expiry job runs every minute; a grant a few minutes past its end is not yet a failure.
const graceMs = 5 * 60_000;

function listOf(rows: { ticket_ref: string }[]): string {
  const names = rows.map((r) => r.ticket_ref);
  return (
    names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${String(names.length - 5)} more` : '')
  );
}

/**
 * Record both support access checks over the last three months (when the org declared them):
 * every grant was approved, before it began, by someone other than the requester or by an
 * on-call rule; and no grant outlived its window (still live, or a role not yet dropped).
 */
export async function recordSupportAccessChecks(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const since = new Date(now.getTime() - 92 * 24 * 3600 * 1000);
  const figures = await repo.readCheckFigures(scope.tx, since, now, graceMs);
  const observedAt = now.toISOString();
  await recordCheckResultIn(
    scope,
    orgId,
    checkSupplier,
    supportAccessKeys.approved,
    figures.unapproved.length > 0
      ? {
          status: 'fail',
          summary: `${String(figures.unapproved.length)} support access grant(s) began without an approval by another person: ${listOf(figures.unapproved)}`,
          details: { granted: figures.granted, unapproved: figures.unapproved },
          observedAt,
        }
      : {
          status: 'pass',
          summary:
            figures.granted === 0
              ? 'No support access was granted in the last three months'
              : `All ${String(figures.granted)} support access grant(s) of the last three months were approved by another person or an on-call rule before they began`,
          details: { granted: figures.granted },
          observedAt,
        },
    { onlyIfChanged: true },
  );
  await recordCheckResultIn(
    scope,
    orgId,
    checkSupplier,
    supportAccessKeys.expired,
    figures.overrun.length > 0
      ? {
          status: 'fail',
          summary: `${String(figures.overrun.length)} support access grant(s) outlived their window: ${listOf(figures.overrun)}`,
          details: { overrun: figures.overrun },
          observedAt,
        }
      : {
          status: 'pass',
          summary:
            'Every support access grant ended within its window and was removed from the system',
          details: { granted: figures.granted },
          observedAt,
        },
    { onlyIfChanged: true },
  );
}
