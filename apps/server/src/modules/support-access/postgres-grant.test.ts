import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildGrantStatements,
  buildRevokeStatements,
  newPassword,
  newRoleName,
  scramVerifier,
} from './postgres-grant.ts';

const plan = {
  roleName: 'steward_sa_0123456789ab',
  password: 'secret',
  validUntil: new Date('2026-11-27T12:00:00.000Z'),
  connectionLimit: 2,
  level: 'read' as const,
  mapping: { schemaName: 'cust "acme"; DROP TABLE x', readRole: null, writeRole: null },
};

describe('PostgreSQL grant statements', () => {
  it('quotes every name and literal, and makes read access read-only', () => {
    const statements = buildGrantStatements(plan, "SCRAM-SHA-256$4096:c2FsdA==$a'b:c");
    expect(statements[0]).toBe(
      'CREATE ROLE "steward_sa_0123456789ab" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ' +
        "NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 2 VALID UNTIL '2026-11-27T12:00:00.000Z' " +
        "PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a''b:c'",
    );
    expect(statements.slice(1)).toEqual([
      'ALTER ROLE "steward_sa_0123456789ab" SET default_transaction_read_only = on',
      'GRANT USAGE ON SCHEMA "cust ""acme""; DROP TABLE x" TO "steward_sa_0123456789ab"',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "cust ""acme""; DROP TABLE x" TO "steward_sa_0123456789ab"',
    ]);
  });

  it('adds writes and sequences at write level, and mapped roles per level', () => {
    const write = buildGrantStatements(
      {
        ...plan,
        level: 'write',
        mapping: { schemaName: 'acme', readRole: 'acme_ro', writeRole: 'acme_rw' },
      },
      'v',
    );
    expect(write.slice(1)).toEqual([
      'GRANT USAGE ON SCHEMA "acme" TO "steward_sa_0123456789ab"',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "acme" TO "steward_sa_0123456789ab"',
      'GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "acme" TO "steward_sa_0123456789ab"',
      'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "acme" TO "steward_sa_0123456789ab"',
      'GRANT "acme_ro" TO "steward_sa_0123456789ab"',
      'GRANT "acme_rw" TO "steward_sa_0123456789ab"',
    ]);
    const read = buildGrantStatements(
      { ...plan, mapping: { schemaName: null, readRole: 'acme_ro', writeRole: 'acme_rw' } },
      'v',
    );
    expect(read.slice(2)).toEqual(['GRANT "acme_ro" TO "steward_sa_0123456789ab"']);
  });

  it('revokes what was granted, then drops what the role owns', () => {
    expect(
      buildRevokeStatements('steward_sa_x', { schemaName: 'a', readRole: 'r', writeRole: null }),
    ).toEqual([
      'REVOKE ALL ON ALL TABLES IN SCHEMA "a" FROM "steward_sa_x"',
      'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "a" FROM "steward_sa_x"',
      'REVOKE ALL ON SCHEMA "a" FROM "steward_sa_x"',
      'REVOKE "r" FROM "steward_sa_x"',
      'DROP OWNED BY "steward_sa_x"',
    ]);
  });

  it('makes random role names and passwords', () => {
    expect(newRoleName()).toMatch(/^steward_sa_[0-9a-f]{12}$/);
    expect(newRoleName()).not.toBe(newRoleName());
    expect(newPassword()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('builds the SCRAM-SHA-256 verifier PostgreSQL stores (RFC 5802 keys)', () => {
    const salt = Buffer.from('0123456789abcdef');
    const verifier = scramVerifier('pencil', salt, 4096);
    const salted = pbkdf2Sync('pencil', salt, 4096, 32, 'sha256');
    const stored = createHash('sha256')
      .update(createHmac('sha256', salted).update('Client Key').digest())
      .digest('base64');
    const server = createHmac('sha256', salted).update('Server Key').digest('base64');
    expect(verifier).toBe(`SCRAM-SHA-256$4096:${salt.toString('base64')}$${stored}:${server}`);
  });
});
