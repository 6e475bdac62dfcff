import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { SecretBox } from '../../platform/crypto/envelope.ts';
import type { Db } from '../../platform/db/pools.ts';
import type { JobQueue } from '../../platform/jobs/job-queue.ts';
import type { BlobStore } from '../../platform/storage/index.ts';

/** What the support access module needs. */
export interface SupportAccessDeps {
  db: Db;
  auditWriter: AuditWriter;
  secrets: SecretBox;
  /** Where webhook deliveries are queued (retried with backoff). */
  jobs: JobQueue;
  blobStore: BlobStore;
  tempDir: string;
}

/** The job that calls a system's webhook for one grant or revoke event. */
export const deliverJobName = 'support-access.deliver';

/** The job that ends access whose window is over, every minute. */
export const expireJobName = 'support-access.expire';

/** Webhook attempts before a grant or revoke is given up as failed. */
export const maxDeliveryAttempts = 5;

/** Purpose of a system's sealed grant password. */
export function grantPurpose(systemId: string): string {
  return `support-access-grant:${systemId}`;
}

/** Purpose of a system's sealed webhook signing secret. */
export function webhookPurpose(systemId: string): string {
  return `support-access-webhook:${systemId}`;
}

/** Purpose of a grant's sealed credential, kept only until its one reveal. */
export function credentialPurpose(requestId: string): string {
  return `support-access-credential:${requestId}`;
}
