/** Enqueues background jobs; what modules get to queue work after a commit. */
export interface JobQueue {
  /** Validate the payload against the job's schema and queue it. */
  enqueue(name: string, payload: unknown): Promise<void>;
}

/** A job queue whose runner is attached after the application is composed. */
export interface LateBoundJobQueue extends JobQueue {
  /** Attach the started job runner; enqueues before this fail loudly. */
  bind(target: JobQueue): void;
}

/**
 * The application is composed before the job runner starts (the runner needs the modules' job
 * definitions), so modules get this queue and the runtime binds the runner to it once started.
 */
export function createLateBoundJobQueue(): LateBoundJobQueue {
  let target: JobQueue | null = null;
  return {
    bind(next) {
      target = next;
    },
    async enqueue(name, payload) {
      if (!target) throw new Error(`the job queue is not started; ${name} was not queued`);
      await target.enqueue(name, payload);
    },
  };
}
