import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { SecretBox } from '../../platform/crypto/envelope.ts';
import type { Db } from '../../platform/db/pools.ts';

/** What happened: a snapshot of a system's accounts was applied by this sync. */
export interface AccountsSyncedEvent {
  orgId: string;
  systemId: string;
  syncId: string;
}

/** Called inside the sync transaction after a snapshot was applied (leaver checklists listen). */
export type AccountsSyncedHook = (
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  event: AccountsSyncedEvent,
) => Promise<void>;

/** What the systems module needs. */
export interface SystemsDeps {
  db: Db;
  auditWriter: AuditWriter;
  secrets: SecretBox;
  tempDir: string;
  onAccountsSynced?: AccountsSyncedHook;
}
