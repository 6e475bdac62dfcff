import type { Role, User } from '@steward/contracts';
import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { UsersTable } from '../../platform/db/schema.ts';

/** Map a row to the API shape. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    status: row.status as User['status'],
    createdAt: row.created_at.toISOString(),
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
  };
}

/** List the org's users by name. */
export async function listUsers(tx: Tx): Promise<Selectable<UsersTable>[]> {
  return tx.selectFrom('users').selectAll().orderBy('name').orderBy('email').execute();
}

/** Find one user of the org. */
export async function findUser(tx: Tx, id: string): Promise<Selectable<UsersTable> | undefined> {
  return tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Insert a user; returns the row. */
export async function insertUser(
  tx: Tx,
  values: {
    orgId: string;
    email: string;
    name: string;
    role: Role;
    passwordHash: string | null;
    status?: User['status'];
  },
): Promise<Selectable<UsersTable>> {
  return tx
    .insertInto('users')
    .values({
      org_id: values.orgId,
      email: values.email,
      name: values.name,
      role: values.role,
      password_hash: values.passwordHash,
      ...(values.status ? { status: values.status } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Change fields of a user; returns the new row. */
export async function updateUser(
  tx: Tx,
  id: string,
  changes: {
    name?: string;
    role?: Role;
    status?: User['status'];
    lastSignInAt?: Date;
    passwordHash?: string;
  },
): Promise<Selectable<UsersTable> | undefined> {
  return tx
    .updateTable('users')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.lastSignInAt !== undefined ? { last_sign_in_at: changes.lastSignInAt } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Count active owners, locking them so two demotions cannot race past the last one. */
export async function countActiveOwners(tx: Tx): Promise<number> {
  const rows = await tx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .forUpdate()
    .execute();
  return rows.length;
}

/** Whether PostgreSQL refused a row for a duplicate email. */
export function isDuplicateEmail(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'users_email_key';
}
