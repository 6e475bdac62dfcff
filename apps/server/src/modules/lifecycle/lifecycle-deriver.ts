import { sql } from 'kysely';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork, type WriteScope } from '../../platform/audit/unit-of-work.ts';
import { compileOnce, sendPrepared, type Db, type Tx } from '../../platform/db/pools.ts';
import { systemActor } from '../../platform/jobs/org-sweep-helpers.ts';
import { writeIfChanged } from '../people/index.ts';
import type { PersonChangeInput } from '../people/people.repo.ts';
import { deriveFromPersonChanges, isEventPossible } from './lifecycle.service.ts';

/** Changes derived per transaction: an initial push drains in a few large, set-based batches. */
export const deriveBatchSize = 500;

// A drain starts once no change has been queued for a moment, and at the latest a while after
// the first change waiting: an identity provider's push (thousands of requests, one after the
// other) is answered without the derivations competing with it, and derived in large batches.
const quietMs = 500;
const maxWaitMs = 60_000;

// While another process holds an org's deriver lock it drains the queue, but it may have read
// the queue before this process's changes committed: try again a little later.
const lockRetries = 40;
const lockRetryMs = 25;

const deriverActor = systemActor('lifecycle.deriver');

/** The lifecycle deriver: queued directory changes become joiner, mover and leaver checklists. */
export interface LifecycleDeriver {
  /**
   * Queue directory changes in the transaction that records them; after it commits, this
   * process derives their events in the background.
   */
  queue: (
    scope: Pick<WriteScope, 'tx' | 'afterCommit'>,
    orgId: string,
    changes: readonly PersonChangeInput[],
  ) => Promise<void>;
  /** Derive what is queued for the org now (the worker's sweep, and after each queueing). */
  drain: (orgId: string) => Promise<number>;
  /** Start the derivations waiting to start, and resolve once none is running or waiting. */
  idle: () => Promise<void>;
}

// One change per request is the usual case (an identity provider's write): compiled once.
const queueOneQuery = compileOnce(
  (db, orgId: string, personId: string, kind: string, changes: string) =>
    db
      .insertInto('lifecycle_pending')
      .values({ org_id: orgId, person_id: personId, kind, changes }),
);

async function queueChanges(
  tx: Tx,
  orgId: string,
  changes: readonly PersonChangeInput[],
): Promise<void> {
  const [only] = changes;
  if (changes.length === 1 && only) {
    // Sent before the first await, so it shares the round trip of the statement recording the
    // change when that one was sent without waiting (see savePerson).
    await sendPrepared(
      tx,
      queueOneQuery(orgId, only.personId, only.kind, JSON.stringify(only.changes)),
    );
    return;
  }
  await tx
    .insertInto('lifecycle_pending')
    .values(
      changes.map((c) => ({
        org_id: orgId,
        person_id: c.personId,
        kind: c.kind,
        changes: JSON.stringify(c.changes),
      })),
    )
    .execute();
}

/** Take up to a batch of the org's queued changes, oldest first (rows return on rollback). */
async function takeQueued(tx: Tx) {
  const { rows } = await sql<{
    id: string;
    person_id: string;
    kind: PersonChangeInput['kind'];
    changes: PersonChangeInput['changes'];
  }>`
    DELETE FROM lifecycle_pending
     WHERE id IN (SELECT id FROM lifecycle_pending ORDER BY org_id, id LIMIT ${deriveBatchSize})
    RETURNING id, person_id, kind, changes`.execute(tx);
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Create the deriver for this process. */
export function createLifecycleDeriver(deps: {
  db: Db;
  auditWriter: AuditWriter;
  onError: (error: unknown, orgId: string) => void;
}): LifecycleDeriver {
  const running = new Map<string, Promise<number>>();
  const again = new Set<string>();
  const timers = new Map<string, { timer: NodeJS.Timeout; deadline: number }>();

  /**
   * One batch in one audited transaction: the number of changes it took, or null when another
   * process holds the org's deriver lock. Nothing is written when nothing was queued.
   */
  function deriveBatch(orgId: string): Promise<number | null> {
    const uow = createUnitOfWork({
      db: deps.db,
      auditWriter: deps.auditWriter,
      orgId,
      actor: deriverActor,
    });
    return writeIfChanged<number | null>(uow, async (scope, unchanged) => {
      // One deriver per org at a time (across processes), so a person's changes are derived in
      // the order they were made.
      const { rows } = await sql<{ locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtext('lifecycle.deriver'), hashtext(${orgId}))
               AS locked`.execute(scope.tx);
      if (rows[0]?.locked !== true) return unchanged(null);
      const taken = await takeQueued(scope.tx);
      const first = taken[0];
      const last = taken.at(-1);
      if (!first || !last) return unchanged(0);
      const opened = await deriveFromPersonChanges(
        scope,
        orgId,
        taken.map((row) => ({ personId: row.person_id, kind: row.kind, changes: row.changes })),
      );
      await scope.audit({
        action: 'lifecycle.changes_derived',
        targetType: 'org',
        targetId: orgId,
        changes: {
          changes: taken.length,
          checklistsOpened: opened,
          queuedFrom: first.id,
          queuedTo: last.id,
        },
      });
      return taken.length;
    });
  }

  async function drainNow(orgId: string): Promise<number> {
    let total = 0;
    let retries = 0;
    for (;;) {
      const taken = await deriveBatch(orgId);
      if (taken === null) {
        if (retries >= lockRetries) {
          throw new Error(`the lifecycle deriver lock of org ${orgId} stayed taken`);
        }
        retries++;
        await new Promise((resolve) => setTimeout(resolve, lockRetryMs));
        continue;
      }
      total += taken;
      if (taken < deriveBatchSize) return total;
    }
  }

  function drain(orgId: string): Promise<number> {
    const current = running.get(orgId);
    if (current) {
      // Changes may have committed after the running drain last read the queue: once it ends,
      // another one starts.
      again.add(orgId);
      return current.then(() => 0);
    }
    const work = drainNow(orgId).finally(() => {
      running.delete(orgId);
      if (again.delete(orgId)) schedule(orgId);
    });
    running.set(orgId, work);
    return work;
  }

  function start(orgId: string): void {
    drain(orgId).catch((error: unknown) => {
      deps.onError(error, orgId);
    });
  }

  /** Drain the org once its queue has been quiet a moment (or once the running drain ends). */
  function schedule(orgId: string): void {
    if (running.has(orgId)) {
      again.add(orgId);
      return;
    }
    const now = Date.now();
    const pending = timers.get(orgId);
    if (pending) clearTimeout(pending.timer);
    const deadline = pending?.deadline ?? now + maxWaitMs;
    const timer = setTimeout(
      () => {
        timers.delete(orgId);
        start(orgId);
      },
      Math.max(0, Math.min(quietMs, deadline - now)),
    );
    // A pending drain must not keep the process alive; shutdown drains through idle().
    timer.unref();
    timers.set(orgId, { timer, deadline });
  }

  return {
    async queue(scope, orgId, changes) {
      const candidates = changes.filter((c) => isEventPossible(c));
      if (candidates.length === 0) return;
      await queueChanges(scope.tx, orgId, candidates);
      scope.afterCommit(() => {
        schedule(orgId);
        return Promise.resolve();
      });
    },
    drain,
    async idle() {
      while (timers.size > 0 || running.size > 0) {
        for (const [orgId, { timer }] of timers) {
          clearTimeout(timer);
          timers.delete(orgId);
          start(orgId);
        }
        await Promise.allSettled([...running.values()]);
      }
    },
  };
}
