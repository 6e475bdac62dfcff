import pg from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { eventRangeQuery, verifyRange, type EventRow } from './verify-range.ts';

/** What the main thread asks a verification worker to check. */
export interface VerifyWorkerTask {
  url: string;
  orgId: string;
  fromSeq: number;
  toSeq: number;
  checkpoints: [number, string][];
}

// A worker verifies one range over its own connection, so hashing runs on another core.
const task = workerData as VerifyWorkerTask;
const client = new pg.Client({ connectionString: task.url });
await client.connect();
try {
  const result = await verifyRange(
    async (afterSeq) =>
      (await client.query<EventRow>(eventRangeQuery, [task.orgId, afterSeq, task.toSeq])).rows,
    task.orgId,
    task.fromSeq,
    task.toSeq,
    new Map(task.checkpoints),
  );
  parentPort?.postMessage({ ok: true, result });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: (error as Error).message });
} finally {
  await client.end();
}
