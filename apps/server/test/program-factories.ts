import { randomBytes } from 'node:crypto';
import type { TestApp } from './harness.ts';

/** Insert a control directly (owner connection), for tests that need one without the API. */
export async function seedControl(
  t: TestApp,
  orgId: string,
  values: { ref?: string; title?: string; section?: number | null; ownerId?: string | null } = {},
): Promise<string> {
  const row = await t.pools.owner
    .insertInto('controls')
    .values({
      org_id: orgId,
      ref: values.ref ?? `T-${randomBytes(3).toString('hex')}`,
      title: values.title ?? 'A test control',
      section: values.section ?? null,
      owner_id: values.ownerId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Insert a recurring evidence task on a control directly. */
export async function seedTask(
  t: TestApp,
  orgId: string,
  controlId: string,
  values: {
    title?: string;
    nextDueOn: string;
    cadenceMonths?: number;
    graceDays?: number;
    ownerId?: string | null;
  },
): Promise<string> {
  const row = await t.pools.owner
    .insertInto('evidence_tasks')
    .values({
      org_id: orgId,
      control_id: controlId,
      title: values.title ?? 'Provide evidence',
      cadence_months: values.cadenceMonths ?? 12,
      grace_days: values.graceDays ?? 14,
      next_due_on: values.nextDueOn,
      owner_id: values.ownerId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Insert a check linked to controls directly. */
export async function seedCheck(
  t: TestApp,
  orgId: string,
  key: string,
  controlIds: string[],
): Promise<string> {
  const row = await t.pools.owner
    .insertInto('checks')
    .values({ org_id: orgId, key, name: key })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const controlId of controlIds) {
    await t.pools.owner
      .insertInto('control_checks')
      .values({ org_id: orgId, control_id: controlId, check_id: row.id })
      .execute();
  }
  return row.id;
}
