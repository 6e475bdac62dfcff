import { describe, expect, it } from 'vitest';
import { parseAccountsCsv } from './accounts-csv.ts';

describe('parseAccountsCsv', () => {
  it('reads accounts with lists, booleans and dates', () => {
    const csv = parseAccountsCsv(
      Buffer.from(
        '\uFEFFExternal ID,Email,Privileged,MFA enabled,Last sign-in at,Roles,Groups\n' +
          'u1,Ann@Example.test,yes,0,2026-02-03,admin|viewer,ops\n',
      ),
    );
    expect(csv.errors).toEqual([]);
    expect(csv.accounts).toEqual([
      {
        externalId: 'u1',
        username: null,
        email: 'ann@example.test',
        displayName: null,
        status: 'active',
        privileged: true,
        mfaEnabled: false,
        lastSignInAt: '2026-02-03T00:00:00.000Z',
        validUntil: null,
        entitlements: [
          { kind: 'role', name: 'admin', privileged: false },
          { kind: 'role', name: 'viewer', privileged: false },
          { kind: 'group', name: 'ops', privileged: false },
        ],
      },
    ]);
  });

  it('falls back to the username as the identity and reads semicolon files', () => {
    const csv = parseAccountsCsv(Buffer.from('username;status\nbob;disabled\n'));
    expect(csv.accounts[0]).toMatchObject({ externalId: 'bob', status: 'disabled' });
  });

  it('names the row and column of each cell problem', () => {
    const csv = parseAccountsCsv(
      Buffer.from('external_id,privileged,valid_until\na,maybe,2026-13-45\na,true,\n'),
    );
    expect(csv.errors).toEqual([
      { row: 2, column: 'privileged', message: '"maybe" is not true or false' },
      {
        row: 2,
        column: 'valid_until',
        message: '"2026-13-45" is not a date (YYYY-MM-DD or ISO 8601 date and time)',
      },
      { row: 3, column: 'external_id', message: '"a" is also on line 2' },
    ]);
  });

  it('refuses unknown columns, a missing identity column and text that is not UTF-8', () => {
    expect(() => parseAccountsCsv(Buffer.from('external_id,colour\n'))).toThrow(/Unknown column/);
    expect(() => parseAccountsCsv(Buffer.from('display_name\nx\n'))).toThrow(/Missing column/);
    expect(() => parseAccountsCsv(Buffer.from([0x61, 0x0a, 0xff, 0x0a]))).toThrow(/Line 2/);
    expect(() => parseAccountsCsv(Buffer.from(''))).toThrow(/empty/);
  });
});
