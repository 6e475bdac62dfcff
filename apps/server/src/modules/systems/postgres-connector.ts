// The PostgreSQL connector: connects read-only with the system's settings and reads its roles,
// memberships, role attributes and grants from the catalog views any role may read (pg_roles,
// pg_auth_members, pg_class, pg_namespace, pg_database; never pg_authid), as a snapshot.
import type { SnapshotAccount } from '@steward/contracts';
import pg from 'pg';
import { AppError } from '../../platform/errors/app-error.ts';

/** How to reach a PostgreSQL server. */
export interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: 'disable' | 'prefer' | 'require' | 'verify-full';
}

/** What the connector read. */
export interface PostgresReading {
  serverVersion: string;
  accounts: SnapshotAccount[];
}

const attributePrivileges = [
  ['rolsuper', 'SUPERUSER'],
  ['rolcreaterole', 'CREATEROLE'],
  ['rolcreatedb', 'CREATEDB'],
  ['rolreplication', 'REPLICATION'],
  ['rolbypassrls', 'BYPASSRLS'],
] as const;

// Predefined roles that reach every table or the server's files and programs.
const privilegedPredefinedRoles = new Set([
  'pg_read_all_data',
  'pg_write_all_data',
  'pg_read_server_files',
  'pg_write_server_files',
  'pg_execute_server_program',
  'pg_create_subscription',
]);

interface RoleRow {
  oid: number;
  rolname: string;
  rolsuper: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  rolcanlogin: boolean;
  rolvaliduntil: Date | null;
}

interface MembershipRow {
  member: number;
  roleid: number;
}

interface GrantRow {
  grantee: number;
  name: string;
}

const rolesQuery = `
  SELECT oid::int8::float8 AS oid, rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication,
         rolbypassrls, rolcanlogin,
         CASE WHEN rolvaliduntil = 'infinity' THEN NULL ELSE rolvaliduntil END AS rolvaliduntil
    FROM pg_catalog.pg_roles`;

const membershipsQuery = `
  SELECT member::int8::float8 AS member, roleid::int8::float8 AS roleid
    FROM pg_catalog.pg_auth_members`;

// Table privileges summarised per schema and privilege type; PUBLIC (grantee 0) is nobody's own.
const grantsQuery = `
  WITH tables AS (
    SELECT c.relowner, c.relacl, n.nspname
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_(toast|temp)'
  ), schemas AS (
    SELECT n.nspowner, n.nspacl, n.nspname
      FROM pg_catalog.pg_namespace n
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_(toast|temp)'
  )
  SELECT DISTINCT a.grantee::int8::float8 AS grantee,
         'tables in ' || t.nspname || ': ' || a.privilege_type AS name
    FROM tables t, LATERAL aclexplode(t.relacl) a
   WHERE a.grantee <> 0 AND a.grantee <> t.relowner
  UNION
  SELECT DISTINCT t.relowner::int8::float8, 'tables in ' || t.nspname || ': OWNER' FROM tables t
  UNION
  SELECT a.grantee::int8::float8, 'schema ' || s.nspname || ': ' || a.privilege_type
    FROM schemas s, LATERAL aclexplode(s.nspacl) a
   WHERE a.grantee <> 0 AND a.grantee <> s.nspowner
  UNION
  SELECT s.nspowner::int8::float8, 'schema ' || s.nspname || ': OWNER' FROM schemas s
  UNION
  SELECT a.grantee::int8::float8, 'database ' || d.datname || ': ' || a.privilege_type
    FROM pg_catalog.pg_database d, LATERAL aclexplode(d.datacl) a
   WHERE d.datname = current_database() AND a.grantee <> 0 AND a.grantee <> d.datdba
  UNION
  SELECT d.datdba::int8::float8, 'database ' || d.datname || ': OWNER'
    FROM pg_catalog.pg_database d WHERE d.datname = current_database()`;

function clientConfig(settings: PostgresSettings, ssl: pg.ClientConfig['ssl']): pg.ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl,
    connectionTimeoutMillis: 10_000,
    // Read-only from the first statement, with bounded statements.
    options: '-c default_transaction_read_only=on -c statement_timeout=60000',
    application_name: 'steward-connector',
  };
}

function sslFor(mode: PostgresSettings['sslmode']): pg.ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  if (mode === 'verify-full') return { rejectUnauthorized: true };
  return { rejectUnauthorized: false };
}

/** Translate a connection or query failure into an error naming the reason and the field. */
export function describeConnectorError(error: unknown, settings: PostgresSettings): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const failed = (path: string, reason: string) =>
    new AppError('system.connection_failed', reason, [{ path, message: reason }]);
  switch (code) {
    case '28P01':
    case '28000':
      return failed(
        'postgres.password',
        `Authentication failed for user "${settings.user}": ${message}`,
      );
    case '3D000':
      return failed('postgres.database', `Database "${settings.database}" does not exist`);
    case '42501': {
      const reason = `User "${settings.user}" lacks a privilege the connector needs: ${message}`;
      return new AppError('system.connector_privileges', reason, [
        { path: 'postgres.user', message: reason },
      ]);
    }
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return failed(
        'postgres.host',
        `Cannot reach ${settings.host}:${String(settings.port)} (${code})`,
      );
    default:
      if (/timeout/i.test(message)) {
        return failed(
          'postgres.host',
          `No answer from ${settings.host}:${String(settings.port)} within 10 seconds`,
        );
      }
      if (/ssl/i.test(message)) return failed('postgres.sslmode', `TLS failed: ${message}`);
      return failed('postgres', `The connector failed: ${message}`);
  }
}

async function connect(settings: PostgresSettings): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(settings, sslFor(settings.sslmode)));
  // An unconnected client's errors surface through connect(); later ones through queries.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    // "prefer": fall back to a plain connection when the server does not offer TLS.
    if (settings.sslmode === 'prefer' && /does not support SSL/i.test(String(error))) {
      const plain = new pg.Client(clientConfig(settings, false));
      plain.on('error', () => undefined);
      try {
        await plain.connect();
        return plain;
      } catch (second) {
        await plain.end().catch(() => undefined);
        throw describeConnectorError(second, settings);
      }
    }
    throw describeConnectorError(error, settings);
  }
}

/** Connect, check the catalog views are readable, and report the server version and role count. */
export async function testPostgresConnection(
  settings: PostgresSettings,
): Promise<{ serverVersion: string; roles: number }> {
  const client = await connect(settings);
  try {
    await client.query('BEGIN READ ONLY');
    const version = await client.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    const roles = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_'`,
    );
    await client.query('COMMIT');
    return { serverVersion: version.rows[0]?.v ?? '', roles: Number(roles.rows[0]?.n ?? 0) };
  } catch (error) {
    throw describeConnectorError(error, settings);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Turn catalog rows into a snapshot: one account per role outside the predefined `pg_` roles. */
export function buildPostgresSnapshot(
  roles: readonly RoleRow[],
  memberships: readonly MembershipRow[],
  grants: readonly GrantRow[],
  now: Date,
): SnapshotAccount[] {
  const byOid = new Map(roles.map((r) => [r.oid, r]));
  const grantedTo = new Map<number, number[]>();
  for (const m of memberships) {
    const list = grantedTo.get(m.member) ?? [];
    list.push(m.roleid);
    grantedTo.set(m.member, list);
  }
  const hasAttribute = (r: RoleRow) => attributePrivileges.some(([column]) => r[column]);
  // A role is privileged through what it can become: any role reachable by membership.
  const privilegedMemo = new Map<number, boolean>();
  const reachesPrivilege = (oid: number, path: Set<number>): boolean => {
    const known = privilegedMemo.get(oid);
    if (known !== undefined) return known;
    const role = byOid.get(oid);
    if (!role || path.has(oid)) return false;
    path.add(oid);
    const result =
      hasAttribute(role) ||
      privilegedPredefinedRoles.has(role.rolname) ||
      (grantedTo.get(oid) ?? []).some((g) => reachesPrivilege(g, path));
    path.delete(oid);
    privilegedMemo.set(oid, result);
    return result;
  };
  const grantsOf = new Map<number, string[]>();
  for (const g of grants) {
    const list = grantsOf.get(g.grantee) ?? [];
    list.push(g.name);
    grantsOf.set(g.grantee, list);
  }
  const accounts: SnapshotAccount[] = [];
  for (const role of roles) {
    if (role.rolname.startsWith('pg_')) continue;
    const entitlements: SnapshotAccount['entitlements'] = [];
    for (const [column, name] of attributePrivileges) {
      if (role[column]) entitlements.push({ kind: 'privilege', name, privileged: true });
    }
    for (const granted of grantedTo.get(role.oid) ?? []) {
      const target = byOid.get(granted);
      if (!target) continue;
      entitlements.push({
        kind: 'role',
        name: target.rolname,
        privileged: reachesPrivilege(granted, new Set()),
      });
    }
    for (const name of grantsOf.get(role.oid) ?? []) {
      entitlements.push({
        kind: 'privilege',
        name,
        privileged: name.startsWith('database ') && name.endsWith(': OWNER'),
      });
    }
    const expired = role.rolvaliduntil !== null && role.rolvaliduntil.getTime() <= now.getTime();
    accounts.push({
      externalId: role.rolname,
      username: role.rolname,
      email: null,
      displayName: null,
      status: role.rolcanlogin && !expired ? 'active' : 'disabled',
      privileged: hasAttribute(role),
      mfaEnabled: null,
      lastSignInAt: null,
      validUntil: role.rolvaliduntil ? role.rolvaliduntil.toISOString() : null,
      entitlements,
    });
  }
  return accounts;
}

/** Read every role of the server as a snapshot, in one read-only transaction. */
export async function readPostgresAccounts(
  settings: PostgresSettings,
  now = new Date(),
): Promise<PostgresReading> {
  const client = await connect(settings);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const version = await client.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    const roles = await client.query<RoleRow>(rolesQuery);
    const memberships = await client.query<MembershipRow>(membershipsQuery);
    const grants = await client.query<GrantRow>(grantsQuery);
    await client.query('COMMIT');
    return {
      serverVersion: version.rows[0]?.v ?? '',
      accounts: buildPostgresSnapshot(roles.rows, memberships.rows, grants.rows, now),
    };
  } catch (error) {
    throw describeConnectorError(error, settings);
  } finally {
    await client.end().catch(() => undefined);
  }
}
