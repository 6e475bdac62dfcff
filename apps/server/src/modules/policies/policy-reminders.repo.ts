import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

/** An open acknowledgement request of a version in force, with who to mail about it. */
export interface OpenRequestRow {
  id: string;
  user_id: string;
  user_name: string;
  user_email: string;
  title: string;
  number: number;
  requested_on: string;
  due_on: string;
  /** Stages already mailed for this request. */
  sent: string[];
  manager_person_id: string | null;
  manager_name: string | null;
  manager_email: string | null;
}

/** A notice to record. */
export interface NoticeInsert {
  acknowledgementId: string;
  stage: string;
  email: string;
  managerId: string | null;
}

/**
 * Open requests of published versions of live policies, for active users, with the stages
 * already mailed, the person's name as the people directory knows it, and their manager from
 * the directory (the manager's work email, else their Steward account's).
 */
export async function findOpenRequests(tx: Tx): Promise<OpenRequestRow[]> {
  const result = await sql<OpenRequestRow>`
    SELECT a.id, a.user_id, COALESCE(me.display_name, u.name) AS user_name,
           u.email AS user_email, p.title, v.number,
           to_char((a.requested_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS requested_on,
           to_char(a.due_on, 'YYYY-MM-DD') AS due_on,
           COALESCE((SELECT array_agg(n.stage) FROM policy_acknowledgement_notices n
                      WHERE n.acknowledgement_id = a.id), '{}') AS sent,
           m.id AS manager_person_id, m.display_name AS manager_name,
           COALESCE(m.email, mu.email) AS manager_email
      FROM policy_acknowledgements a
      JOIN policy_versions v ON v.id = a.version_id AND v.status = 'published'
      JOIN policies p ON p.id = a.policy_id AND p.retired_at IS NULL
      JOIN users u ON u.id = a.user_id AND u.status = 'active'
      LEFT JOIN LATERAL (
        SELECT pe.manager_id, pe.display_name FROM people pe
         WHERE pe.user_id = a.user_id AND pe.status <> 'departed'
         ORDER BY pe.created_at LIMIT 1
      ) me ON true
      LEFT JOIN people m ON m.id = me.manager_id AND m.status <> 'departed'
      LEFT JOIN users mu ON mu.id = m.user_id AND mu.status = 'active'
     WHERE a.acknowledged_at IS NULL
     ORDER BY u.email, a.due_on, p.title`.execute(tx);
  return result.rows;
}

/** Record notices, in batches (an audience of thousands reached a stage on the same day). */
export async function insertNotices(
  tx: Tx,
  orgId: string,
  notices: readonly NoticeInsert[],
): Promise<void> {
  const batch = 5000;
  for (let i = 0; i < notices.length; i += batch) {
    await tx
      .insertInto('policy_acknowledgement_notices')
      .values(
        notices.slice(i, i + batch).map((n) => ({
          org_id: orgId,
          acknowledgement_id: n.acknowledgementId,
          stage: n.stage,
          recipient_email: n.email,
          manager_person_id: n.managerId,
        })),
      )
      .execute();
  }
}

/** The org's name as mails name it. */
export async function findOrgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return row?.name ?? 'Your organisation';
}
