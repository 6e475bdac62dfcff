import type { TestApp } from './harness.ts';

/** The audit actions recorded about `targetId`, oldest first. */
export async function auditActionsOf(t: TestApp, targetId: string): Promise<string[]> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select('action')
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

/** The latest status and summary recorded for check `key` of `orgId`; throws when there is none. */
export async function latestCheckOf(t: TestApp, orgId: string, key: string) {
  return t.pools.owner
    .selectFrom('checks')
    .select(['latest_status', 'latest_summary'])
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

/** The computed status of control `controlId`. */
export async function controlStatusOf(t: TestApp, controlId: string): Promise<string> {
  const row = await t.pools.owner
    .selectFrom('controls')
    .select('status')
    .where('id', '=', controlId)
    .executeTakeFirstOrThrow();
  return row.status;
}
