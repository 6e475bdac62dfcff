import { sql } from 'kysely';
import type { Actor } from '../audit/audit-writer.ts';
import type { UnitOfWork, WriteScope } from '../audit/unit-of-work.ts';
import type { Db } from '../db/pools.ts';

/** The actor scheduled work is recorded as, labelled with the work's name. */
export function systemActor(label: string): Actor {
  return {
    type: 'system',
    id: null,
    label,
    authMethod: 'system',
    requestId: null,
    ip: null,
    userAgent: null,
  };
}

/** Every organisation's id (the only cross-tenant read the jobs make). */
export async function listOrgIds(db: Db): Promise<string[]> {
  const result = await sql<{ id: string }>`SELECT id FROM program_org_ids() AS id`.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * Run a job's work for every organisation in turn. One org's failure must not keep the others
 * from their work; the job still fails afterwards, with every org's error in an AggregateError.
 */
export async function runForEachOrg(
  db: Db,
  jobName: string,
  work: (orgId: string) => Promise<unknown>,
): Promise<void> {
  const failures: unknown[] = [];
  for (const orgId of await listOrgIds(db)) {
    await work(orgId).catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${jobName} failed for ${String(failures.length)} org(s)`);
  }
}

class NothingToWrite extends Error {}

/**
 * Run a write that may turn out to have nothing to change: `fn` returns null then, and the
 * transaction rolls back without an audit event instead of failing.
 */
export async function writeIfNeeded<T>(
  uow: UnitOfWork,
  fn: (scope: WriteScope) => Promise<T | null>,
): Promise<T | null> {
  try {
    return await uow.write(async (scope) => {
      const result = await fn(scope);
      if (result === null) throw new NothingToWrite();
      return result;
    });
  } catch (error) {
    if (error instanceof NothingToWrite) return null;
    throw error;
  }
}

/**
 * Run scheduled work whose audit events are counted: when it recorded none, the transaction
 * rolls back silently and `undefined` is returned instead of failing.
 */
export async function writeIfAudited<T>(
  uow: UnitOfWork,
  fn: (scope: WriteScope) => Promise<T>,
): Promise<T | undefined> {
  const written = await writeIfNeeded(uow, async (scope) => {
    let audited = 0;
    const value = await fn({
      ...scope,
      audit: async (event) => {
        audited++;
        await scope.audit(event);
      },
    });
    return audited === 0 ? null : { value };
  });
  return written?.value;
}
