import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

/** Someone a reminder goes to: an active user of the org. */
export interface Recipient {
  id: string;
  email: string;
  name: string;
}

/** The active user with this id, if any. */
export async function findRecipient(tx: Tx, userId: string): Promise<Recipient | undefined> {
  return tx
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/**
 * Record new-critical notices of these findings for their recipient; a finding already notified
 * is skipped. Returns the ids recorded now.
 */
export async function insertNewCriticalNotices(
  tx: Tx,
  orgId: string,
  recipientUserId: string,
  findingIds: readonly string[],
): Promise<string[]> {
  if (findingIds.length === 0) return [];
  const result = await sql<{ finding_id: string }>`
    INSERT INTO finding_reminders (org_id, finding_id, stage, due_at, recipient_user_id)
    SELECT ${orgId}::uuid, f.id, 'new_critical', NULL, ${recipientUserId}::uuid
      FROM unnest(${findingIds}::uuid[]) AS f(id)
    ON CONFLICT DO NOTHING
    RETURNING finding_id`.execute(tx);
  return result.rows.map((r) => r.finding_id);
}

/** A deadline reminder recorded now, with what its email says. */
export interface DueReminderRow {
  finding_id: string;
  stage: 'due_in_7_days' | 'due_in_1_day' | 'breached';
  due_at: Date;
  recipient_user_id: string;
  recipient_email: string;
  recipient_name: string;
  title: string;
  severity: string;
  asset_name: string;
}

/**
 * Record the deadline reminder each open finding (not a duplicate of another tool's) on an owned
 * asset has reached as of `now` — breached (past due), due within a day, due within 7 days — unless
 * that stage of that deadline was recorded before, and return the ones recorded now. Only the
 * latest stage reached counts, so a missed day never sends an outdated stage later.
 */
export async function recordDueReminders(
  tx: Tx,
  orgId: string,
  now: Date,
): Promise<DueReminderRow[]> {
  const dayAhead = new Date(now.getTime() + 86_400_000);
  const weekAhead = new Date(now.getTime() + 7 * 86_400_000);
  const result = await sql<DueReminderRow>`
    WITH due AS (
      SELECT f.id, f.due_at, a.owner_id,
             CASE WHEN f.due_at < ${now} THEN 'breached'
                  WHEN f.due_at <= ${dayAhead} THEN 'due_in_1_day'
                  ELSE 'due_in_7_days' END AS stage
        FROM findings f
        JOIN assets a ON a.id = f.asset_id
        JOIN users u ON u.id = a.owner_id AND u.status = 'active'
       WHERE f.state = 'open' AND f.canonical_id IS NULL AND f.due_at <= ${weekAhead}
    ), recorded AS (
      INSERT INTO finding_reminders (org_id, finding_id, stage, due_at, recipient_user_id)
      SELECT ${orgId}::uuid, d.id, d.stage, d.due_at, d.owner_id FROM due d
      ON CONFLICT DO NOTHING
      RETURNING finding_id, stage, due_at, recipient_user_id
    )
    SELECT r.finding_id, r.stage, r.due_at, r.recipient_user_id, u.email AS recipient_email,
           u.name AS recipient_name, f.title, f.severity, a.name AS asset_name
      FROM recorded r
      JOIN findings f ON f.id = r.finding_id
      JOIN assets a ON a.id = f.asset_id
      JOIN users u ON u.id = r.recipient_user_id
     ORDER BY u.email, r.due_at, f.id`.execute(tx);
  return result.rows;
}
