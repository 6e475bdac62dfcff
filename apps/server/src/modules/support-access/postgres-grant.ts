// Grants and revokes support access on a PostgreSQL system with its grant credential (a role
// with CREATEROLE, grant options on the customer schemas and pg_signal_backend). Every name is
// quoted with escapeIdentifier and every literal with escapeLiteral: utility statements take no
// parameters, and mapped schema and role names come from people.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';

/** How to reach the system with its grant credential. */
export interface GrantConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: 'disable' | 'prefer' | 'require' | 'verify-full';
}

/** Where the customer's data lives: a schema, or existing roles per level. */
export interface GrantMapping {
  schemaName: string | null;
  readRole: string | null;
  writeRole: string | null;
}

/** What one grant creates. */
export interface GrantPlan {
  roleName: string;
  password: string;
  validUntil: Date;
  connectionLimit: number;
  level: 'read' | 'write';
  mapping: GrantMapping;
}

/** A grant or revoke the system refused, with a reason a person can act on. */
export class GrantError extends Error {}

/** A fresh login role name: `steward_sa_` and 12 random hex digits. */
export function newRoleName(): string {
  return `steward_sa_${randomBytes(6).toString('hex')}`;
}

/** A fresh random password (192 bits, URL-safe characters). */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The SCRAM-SHA-256 verifier of a password as PostgreSQL stores it, so the clear password never
 * travels in a statement the server might log.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${String(iterations)}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The roles a level grants from a role mapping. */
function mappedRoles(plan: Pick<GrantPlan, 'level' | 'mapping'>): string[] {
  const { readRole, writeRole } = plan.mapping;
  if (plan.level === 'read') return readRole ? [readRole] : [];
  return [readRole, writeRole].filter((r): r is string => r !== null);
}

/** The statements that create the login role and grant what the level allows. */
export function buildGrantStatements(plan: GrantPlan, verifier: string): string[] {
  const role = pg.escapeIdentifier(plan.roleName);
  const statements = [
    `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ` +
      `CONNECTION LIMIT ${String(Math.trunc(plan.connectionLimit))} ` +
      `VALID UNTIL ${pg.escapeLiteral(plan.validUntil.toISOString())} ` +
      `PASSWORD ${pg.escapeLiteral(verifier)}`,
  ];
  if (plan.level === 'read') {
    statements.push(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
  }
  const schema = plan.mapping.schemaName;
  if (schema !== null) {
    const s = pg.escapeIdentifier(schema);
    statements.push(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
    statements.push(`GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
    if (plan.level === 'write') {
      statements.push(`GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
      statements.push(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`);
    }
  }
  for (const granted of mappedRoles(plan)) {
    statements.push(`GRANT ${pg.escapeIdentifier(granted)} TO ${role}`);
  }
  return statements;
}

/** The statements that take back what a grant gave; each may fail alone (e.g. schema gone). */
export function buildRevokeStatements(roleName: string, mapping: GrantMapping): string[] {
  const role = pg.escapeIdentifier(roleName);
  const statements: string[] = [];
  if (mapping.schemaName !== null) {
    const s = pg.escapeIdentifier(mapping.schemaName);
    statements.push(`REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${role}`);
    statements.push(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${role}`);
    statements.push(`REVOKE ALL ON SCHEMA ${s} FROM ${role}`);
  }
  for (const granted of [mapping.readRole, mapping.writeRole]) {
    if (granted !== null) statements.push(`REVOKE ${pg.escapeIdentifier(granted)} FROM ${role}`);
  }
  statements.push(`DROP OWNED BY ${role}`);
  return statements;
}

function sslFor(mode: GrantConnection['sslmode']): pg.ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  if (mode === 'verify-full') return { rejectUnauthorized: true };
  return { rejectUnauthorized: false };
}

function describe(error: unknown, connection: GrantConnection): GrantError {
  if (error instanceof GrantError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case '28P01':
    case '28000':
      return new GrantError(`The grant user "${connection.user}" cannot sign in: ${message}`);
    case '42501':
      return new GrantError(
        `The grant user "${connection.user}" lacks a privilege: ${message} (it needs CREATEROLE and grant options on the customer's schema or roles)`,
      );
    case '3F000':
      return new GrantError(`The mapped schema does not exist: ${message}`);
    case '42704':
      return new GrantError(`The mapped role does not exist: ${message}`);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return new GrantError(`Cannot reach ${connection.host}:${String(connection.port)} (${code})`);
    default:
      return new GrantError(`PostgreSQL refused: ${message}`);
  }
}

async function connect(connection: GrantConnection): Promise<pg.Client> {
  const open = async (ssl: pg.ClientConfig['ssl']) => {
    const client = new pg.Client({
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      password: connection.password,
      ssl,
      connectionTimeoutMillis: 10_000,
      options: '-c statement_timeout=30000 -c lock_timeout=10000',
      application_name: 'steward-support-access',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  try {
    return await open(sslFor(connection.sslmode));
  } catch (error) {
    // "prefer": fall back to a plain connection when the server does not offer TLS.
    if (connection.sslmode === 'prefer' && /does not support SSL/i.test(String(error))) {
      try {
        return await open(false);
      } catch (second) {
        throw describe(second, connection);
      }
    }
    throw describe(error, connection);
  }
}

/** Create the login role and grant it the level's access, in one transaction (all or nothing). */
export async function grantPostgresAccess(
  connection: GrantConnection,
  plan: GrantPlan,
): Promise<void> {
  const client = await connect(connection);
  try {
    await client.query('BEGIN');
    for (const statement of buildGrantStatements(plan, scramVerifier(plan.password))) {
      await client.query(statement);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw describe(error, connection);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Revoke a grant: forbid new sign-ins, end the role's sessions, take back its privileges and drop
 * it. A role already gone counts as revoked. Returns notes on steps that could not run (e.g. a
 * schema dropped since) without failing the revocation.
 */
export async function revokePostgresAccess(
  connection: GrantConnection,
  roleName: string,
  mapping: GrantMapping,
): Promise<{ notes: string[] }> {
  const client = await connect(connection);
  const role = pg.escapeIdentifier(roleName);
  const notes: string[] = [];
  try {
    const exists = await client.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [
      roleName,
    ]);
    if (exists.rowCount === 0) return { notes: ['The role was already gone'] };
    await client.query(`ALTER ROLE ${role} NOLOGIN`);
    try {
      await client.query(
        'SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = $1',
        [roleName],
      );
    } catch (error) {
      notes.push(
        `Sessions not terminated: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await client.query('BEGIN');
    for (const statement of buildRevokeStatements(roleName, mapping)) {
      await client.query('SAVEPOINT step');
      try {
        await client.query(statement);
        await client.query('RELEASE SAVEPOINT step');
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT step');
        notes.push(`${statement}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await client.query(`DROP ROLE ${role}`);
    await client.query('COMMIT');
    return { notes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw describe(error, connection);
  } finally {
    await client.end().catch(() => undefined);
  }
}
