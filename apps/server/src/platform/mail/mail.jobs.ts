import { defineJob, type JobDefinition } from '../jobs/jobs.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { mailMessageSchema, type MailMessage, type Mailer } from './mailer.ts';

/** Name of the job that delivers one email. */
export const sendMailJobName = 'mail.send';

/** The job that delivers queued email; SMTP failures are retried with growing delays. */
export function createSendMailJob(mailer: Mailer): JobDefinition {
  return defineJob({
    name: sendMailJobName,
    payload: mailMessageSchema,
    retry: { limit: 5, delaySeconds: 30, backoff: true },
    handler: (message) => mailer.deliver(message),
  });
}

/** Queues email for delivery by the worker; services call it from `afterCommit`. */
export interface MailOutbox {
  send(message: MailMessage): Promise<void>;
}

/** Create the outbox on a job queue. */
export function createMailOutbox(queue: JobQueue): MailOutbox {
  return { send: (message) => queue.enqueue(sendMailJobName, message) };
}
