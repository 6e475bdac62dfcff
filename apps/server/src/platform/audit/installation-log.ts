import { sql } from 'kysely';
import type { Db } from '../db/pools.ts';
import { normaliseChanges } from './chain.ts';

/** A security event that belongs to no organisation, such as a credential nobody holds. */
export interface InstallationEvent {
  kind: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail?: Record<string, unknown>;
}

/** Append an event to the installation's hash-chained security log. */
export async function recordInstallationEvent(db: Db, event: InstallationEvent): Promise<void> {
  const detail = JSON.stringify(normaliseChanges(event.detail ?? {}));
  await sql`SELECT record_installation_event(${event.kind}, ${event.ip}, ${event.userAgent},
    ${event.requestId}, ${detail}::jsonb)`.execute(db);
}

/** Recheck the installation log (owner connection): its size and the first broken event. */
export async function verifyInstallationEvents(
  owner: Db,
): Promise<{ events: number; break: { seq: number; reason: string } | null }> {
  const count = await sql<{ n: string }>`SELECT count(*) AS n FROM installation_events`.execute(
    owner,
  );
  const broken = await sql<{ seq: string; reason: string }>`
    SELECT seq, reason FROM verify_installation_events()`.execute(owner);
  const first = broken.rows[0];
  return {
    events: Number(count.rows[0]?.n ?? 0),
    break: first ? { seq: Number(first.seq), reason: first.reason } : null,
  };
}
