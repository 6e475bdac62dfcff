import { describe, expect, it } from 'vitest';
import { buildPostgresSnapshot, describeConnectorError } from './postgres-connector.ts';

const base = {
  rolsuper: false,
  rolcreaterole: false,
  rolcreatedb: false,
  rolreplication: false,
  rolbypassrls: false,
  rolcanlogin: true,
  rolvaliduntil: null,
};

describe('buildPostgresSnapshot', () => {
  const now = new Date('2026-11-27T00:00:00Z');

  it('flags privileged roles, through membership too, and disables expired or nologin ones', () => {
    const accounts = buildPostgresSnapshot(
      [
        { ...base, oid: 1, rolname: 'admin_group', rolcanlogin: false, rolcreaterole: true },
        { ...base, oid: 2, rolname: 'carol' },
        { ...base, oid: 3, rolname: 'old', rolvaliduntil: new Date('2026-01-01T00:00:00Z') },
        { ...base, oid: 4, rolname: 'pg_read_all_data', rolcanlogin: false },
        { ...base, oid: 5, rolname: 'reader' },
      ],
      [
        { member: 2, roleid: 1 },
        { member: 5, roleid: 4 },
      ],
      [{ grantee: 2, name: 'tables in app: SELECT' }],
      now,
    );
    const by = new Map(accounts.map((a) => [a.externalId, a]));
    expect(by.has('pg_read_all_data')).toBe(false);
    expect(by.get('admin_group')).toMatchObject({ status: 'disabled', privileged: true });
    expect(by.get('carol')).toMatchObject({ status: 'active', privileged: false });
    expect(by.get('carol')?.entitlements).toEqual([
      { kind: 'role', name: 'admin_group', privileged: true },
      { kind: 'privilege', name: 'tables in app: SELECT', privileged: false },
    ]);
    expect(by.get('old')).toMatchObject({
      status: 'disabled',
      validUntil: '2026-01-01T00:00:00.000Z',
    });
    expect(by.get('reader')?.entitlements).toEqual([
      { kind: 'role', name: 'pg_read_all_data', privileged: true },
    ]);
  });
});

describe('describeConnectorError', () => {
  const settings = {
    host: 'db.internal',
    port: 5432,
    database: 'app',
    user: 'steward',
    password: 'x',
    sslmode: 'disable' as const,
  };

  it('names the field and reason', () => {
    const auth = describeConnectorError(
      Object.assign(new Error('password authentication failed'), { code: '28P01' }),
      settings,
    );
    expect(auth.code).toBe('system.connection_failed');
    expect(auth.fieldErrors?.[0]?.path).toBe('postgres.password');
    const refused = describeConnectorError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      settings,
    );
    expect(refused.message).toContain('db.internal:5432');
    const privileges = describeConnectorError(
      Object.assign(new Error('permission denied for database app'), { code: '42501' }),
      settings,
    );
    expect(privileges.code).toBe('system.connector_privileges');
  });
});
