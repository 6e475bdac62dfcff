import pg from 'pg';
import {
  chunkQueue,
  verifyClaimedChunks,
  type ChunkPlan,
  type RangeResult,
} from './verify-range.ts';
import { verifyChunkByCopy } from './verify-stream.ts';

/** What the main thread asks a verification worker to check. */
export interface VerifyWorkerTask {
  url: string;
  orgId: string;
  plan: ChunkPlan;
  checkpoints: [number, string][];
  /** The chunk queue shared with the main thread and the other workers. */
  state: SharedArrayBuffer;
}

/** What a verification worker reports. */
export type VerifyWorkerMessage =
  | { type: 'result'; index: number; result: RangeResult }
  | { type: 'done' }
  | { type: 'error'; message: string };

/**
 * Verify the chunks this worker claims over its own connection, so hashing runs on another core;
 * every outcome is reported through `post`, ending with `done` or `error`.
 */
export async function runVerifyWorker(
  task: VerifyWorkerTask,
  post: (message: VerifyWorkerMessage) => void,
): Promise<void> {
  const queue = chunkQueue(new Int32Array(task.state), task.plan);
  const client = new pg.Client({ connectionString: task.url });
  try {
    await client.connect();
    const checkpoints = new Map(task.checkpoints);
    await verifyClaimedChunks(
      queue.claim,
      (chunk) => verifyChunkByCopy(client, task.orgId, chunk, checkpoints),
      (chunk, result) => {
        if (result.break) queue.stopAfter(chunk.index);
        post({ type: 'result', index: chunk.index, result });
      },
    );
    post({ type: 'done' });
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  } finally {
    await client.end();
  }
}
