import { z } from 'zod';
import { createUnitOfWork, type UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { runForEachOrg, systemActor } from '../../platform/jobs/org-sweep-helpers.ts';
import {
  deliverJobName,
  expireJobName,
  maxDeliveryAttempts,
  type SupportAccessDeps,
} from './support-access-deps.ts';
import { expireDue } from './support-access.service.ts';
import { deliverEvent } from './webhook-delivery.service.ts';

/** A unit of work for the support access jobs in one org. */
export function jobUnitOfWork(deps: SupportAccessDeps, orgId: string, label: string): UnitOfWork {
  return createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId,
    actor: systemActor(label),
  });
}

/** Raised so the queue retries a delivery the system did not acknowledge. */
class NotAcknowledged extends Error {}

/**
 * Jobs: every minute, end access whose window is over (and retry revocations that failed); and
 * one webhook delivery per grant or revoke event, retried with backoff up to the attempt limit.
 */
export function createSupportAccessJobs(deps: SupportAccessDeps) {
  return [
    defineJob({
      name: expireJobName,
      payload: z.object({}),
      schedule: '* * * * *',
      handler: () =>
        runForEachOrg(deps.db, expireJobName, (id) =>
          expireDue(deps, jobUnitOfWork(deps, id, 'support-access.expire')),
        ),
    }),
    defineJob({
      name: deliverJobName,
      payload: z.object({
        orgId: z.uuid(),
        requestId: z.uuid(),
        event: z.enum(['grant', 'revoke']),
      }),
      // 5 attempts in all: the first and 4 retries, 10 to 20 s, then doubling.
      retry: { limit: maxDeliveryAttempts - 1, delaySeconds: 10, backoff: true },
      handler: async ({ orgId, requestId, event }) => {
        const outcome = await deliverEvent(
          deps,
          jobUnitOfWork(deps, orgId, 'support-access.webhook'),
          requestId,
          event,
        );
        if (outcome === 'retry') {
          throw new NotAcknowledged(`The ${event} webhook of ${requestId} was not acknowledged`);
        }
      },
    }),
  ];
}
