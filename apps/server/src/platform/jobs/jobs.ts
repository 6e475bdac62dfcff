import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { JobQueue } from './job-queue.ts';

/** A job: a name, a zod payload, a handler, and optionally a cron schedule (UTC) and retries. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  schedule?: string;
  /** Retries after a handler throws; without it a failed job is not retried. */
  retry?: { limit: number; delaySeconds: number; backoff: boolean };
  handler: (payload: z.output<S>) => Promise<void>;
}

/** Declare a job. */
export function defineJob<S extends z.ZodType>(job: JobDefinition<S>): JobDefinition {
  return job;
}

/** Whether an error is a connection ended by the database shutting down (or being stopped). */
function isShutdownError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === '57P01' || /Connection terminated/i.test(error.message);
}

/** Enqueues and (in a worker) runs jobs on the same PostgreSQL through pg-boss. */
export interface JobRunner extends JobQueue {
  stop(): Promise<void>;
}

/**
 * Start the job queue. With `work` the process also runs handlers and schedules; without it
 * the process only enqueues (API-only processes).
 */
export async function startJobRunner(options: {
  url: string;
  jobs: JobDefinition[];
  logger: Logger;
  work: boolean;
}): Promise<JobRunner> {
  const log = options.logger.child({ component: 'jobs' });
  const boss = new PgBoss({
    connectionString: options.url,
    schema: 'pgboss',
    max: 4,
    supervise: options.work,
    schedule: options.work,
  });
  let isStopping = false;
  boss.on('error', (error) => {
    // Once stopping, the queue's connections may still be open when the database shuts down.
    if (isStopping && isShutdownError(error)) {
      log.debug({ err: error }, 'job queue connection ended while stopping');
      return;
    }
    log.error({ err: error }, 'job queue error');
  });
  await boss.start();
  const byName = new Map(options.jobs.map((job) => [job.name, job]));
  for (const job of options.jobs) {
    await boss.createQueue(job.name);
    if (!options.work) continue;
    await boss.work(job.name, async (batch) => {
      for (const item of batch) {
        const parsed = job.payload.safeParse(item.data);
        if (!parsed.success) {
          log.error(
            { job: job.name, id: item.id, issues: parsed.error.issues },
            'job payload refused',
          );
          continue;
        }
        await job.handler(parsed.data);
      }
    });
    if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: 'UTC' });
  }
  return {
    async enqueue(name, payload) {
      const job = byName.get(name);
      if (!job) throw new Error(`unknown job ${name}`);
      const data = job.payload.parse(payload) as object;
      await boss.send(
        name,
        data,
        job.retry
          ? {
              retryLimit: job.retry.limit,
              retryDelay: job.retry.delaySeconds,
              retryBackoff: job.retry.backoff,
            }
          : {},
      );
    },
    async stop() {
      isStopping = true;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
