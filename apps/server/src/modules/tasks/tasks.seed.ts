import type { Tx } from '../../platform/db/pools.ts';
import { addDays, deriveTaskState } from '../controls/index.ts';
import { defaultControls } from '../frameworks/index.ts';
import * as repo from './tasks.repo.ts';

/** Days until the first occurrence of every seeded task is due at the earliest. */
export const firstDueAfterDays = 30;

/** How far the first occurrences of longer cadences are spread, at most. */
const spreadUntilDays = 180;

/**
 * The first due date of each of `count` seeded tasks sharing a cadence: monthly work is due in
 * 30 days; longer cadences are spread evenly from 30 days up to their cadence (at most half a
 * year), so a new program does not start with every review due in the same week.
 */
export function firstDueDays(cadenceMonths: number, index: number, count: number): number {
  const until = Math.min(cadenceMonths * 30, spreadUntilDays);
  const span = Math.max(until - firstDueAfterDays, 0);
  if (count <= 1 || span === 0) return firstDueAfterDays;
  return firstDueAfterDays + Math.round((index * span) / count);
}

/**
 * Insert the evidence tasks of the default controls for a new org (controls found by ref in
 * `controlIds`; tasks of controls not there are skipped). Returns how many were inserted. The
 * caller audits the seeding as a whole.
 */
export async function seedDefaultTasks(
  tx: Tx,
  orgId: string,
  controlIds: ReadonlyMap<string, string>,
  ownerId: string | null,
  today: string,
): Promise<number> {
  const { taskDueWindowDays } = await repo.findProgramRules(tx);
  const planned = defaultControls.flatMap((control) => {
    const controlId = controlIds.get(control.ref);
    return controlId === undefined ? [] : control.tasks.map((task) => ({ controlId, task }));
  });
  const counts = new Map<number, number>();
  for (const { task } of planned) {
    counts.set(task.cadenceMonths, (counts.get(task.cadenceMonths) ?? 0) + 1);
  }
  const seen = new Map<number, number>();
  const rows = planned.map(({ controlId, task }) => {
    const index = seen.get(task.cadenceMonths) ?? 0;
    seen.set(task.cadenceMonths, index + 1);
    const nextDueOn = addDays(
      today,
      firstDueDays(task.cadenceMonths, index, counts.get(task.cadenceMonths) ?? 1),
    );
    return {
      orgId,
      controlId,
      key: task.key,
      title: task.title,
      description: task.description,
      ownerId,
      cadenceMonths: task.cadenceMonths,
      graceDays: task.graceDays,
      nextDueOn,
      state: deriveTaskState(
        { nextDueOn, graceDays: task.graceDays, lastCompletedAt: null, isActive: true },
        today,
        taskDueWindowDays,
      ),
    };
  });
  return repo.insertTasks(tx, rows);
}
