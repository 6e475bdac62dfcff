// Reading an accounts CSV into a snapshot, without the database. Problems of the whole file are
// thrown; problems of a cell are collected per row and column so a preview lists them all.
import { accountsCsvColumns, type SnapshotAccount } from '@steward/contracts';
import {
  decodeUtf8Text,
  parseCsvRecords,
  readCsvColumns,
} from '../../platform/csv/csv-read-helpers.ts';
import { AppError } from '../../platform/errors/app-error.ts';

/** A column of an accounts CSV. */
export type AccountsCsvColumn = (typeof accountsCsvColumns)[number];

/** Most rows a file may hold. */
export const maxAccountsCsvRows = 100_000;

/** A problem with one cell. */
export interface AccountsCsvError {
  row: number;
  column: string;
  message: string;
}

/** A read file: the accounts of the valid rows, and the problems of the others. */
export interface AccountsCsv {
  accounts: SnapshotAccount[];
  errors: AccountsCsvError[];
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const truthy = new Set(['true', 'yes', 'y', '1']);
const falsy = new Set(['false', 'no', 'n', '0']);

function fileError(message: string, path = 'file'): AppError {
  return new AppError('systems.import_invalid', message, [{ path, message }]);
}

function readBoolean(raw: string, column: string, errors: string[][]): boolean | null {
  const value = raw.toLowerCase();
  if (value === '') return null;
  if (truthy.has(value)) return true;
  if (falsy.has(value)) return false;
  errors.push([column, `"${raw}" is not true or false`]);
  return null;
}

function readTime(raw: string, column: string, errors: string[][]): string | null {
  if (raw === '') return null;
  const time = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)
    ? Date.parse(raw.includes('T') || raw.includes(' ') ? raw : `${raw}T00:00:00Z`)
    : Number.NaN;
  if (Number.isNaN(time)) {
    errors.push([column, `"${raw}" is not a date (YYYY-MM-DD or ISO 8601 date and time)`]);
    return null;
  }
  return new Date(time).toISOString();
}

function readList(raw: string): string[] {
  return raw
    .split(/[|;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Read an accounts CSV (UTF-8, comma, semicolon or tab separated, header first). It needs an
 * `external_id`, `username` or `email` column; the account's identity is the first of them that
 * is set. Roles, groups and privileges are lists separated by `|` or `;`.
 */
export function parseAccountsCsv(bytes: Buffer): AccountsCsv {
  const text = decodeUtf8Text(bytes, (line) =>
    fileError(
      `Line ${String(line)} is not UTF-8 text; save the file as CSV UTF-8 and upload it again`,
      `rows.${String(line)}`,
    ),
  ).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw fileError('The file is empty');
  const [header, ...data] = parseCsvRecords(text, fileError);
  if (!header) throw fileError('The file is empty');
  const columns = readCsvColumns(header.record, accountsCsvColumns, fileError);
  if (!columns.some((c) => c === 'external_id' || c === 'username' || c === 'email')) {
    throw fileError(
      'Missing column external_id (or username or email) identifying each account',
      'columns.external_id',
    );
  }
  if (data.length > maxAccountsCsvRows) {
    throw fileError(`The file has more than ${String(maxAccountsCsvRows)} rows; split it`);
  }
  const accounts: SnapshotAccount[] = [];
  const errors: AccountsCsvError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of data) {
    const row = info.lines;
    if (record.length !== columns.length) {
      throw fileError(
        `Line ${String(row)} has ${String(record.length)} cells; the header has ${String(columns.length)}`,
        `rows.${String(row)}`,
      );
    }
    const cell = (column: AccountsCsvColumn) => {
      const index = columns.indexOf(column);
      return index < 0 ? '' : (record[index] ?? '').trim();
    };
    const problems: string[][] = [];
    const email = cell('email').toLowerCase();
    if (email !== '' && (!emailPattern.test(email) || email.length > 320)) {
      problems.push(['email', `"${email}" is not an email address`]);
    }
    const externalId = cell('external_id') || cell('username') || email;
    if (externalId === '') {
      problems.push([
        columns.includes('external_id')
          ? 'external_id'
          : columns.includes('username')
            ? 'username'
            : 'email',
        'is empty: each account needs an external_id, username or email',
      ]);
    } else if (externalId.length > 500) {
      problems.push(['external_id', 'is longer than 500 characters']);
    }
    const statusRaw = cell('status').toLowerCase();
    if (statusRaw !== '' && statusRaw !== 'active' && statusRaw !== 'disabled') {
      problems.push(['status', `"${cell('status')}" is not active or disabled`]);
    }
    const privileged = readBoolean(cell('privileged'), 'privileged', problems);
    const mfaEnabled = readBoolean(cell('mfa_enabled'), 'mfa_enabled', problems);
    const lastSignInAt = readTime(cell('last_sign_in_at'), 'last_sign_in_at', problems);
    const validUntil = readTime(cell('valid_until'), 'valid_until', problems);
    for (const column of ['username', 'display_name'] as const) {
      if (cell(column).length > 500) problems.push([column, 'is longer than 500 characters']);
    }
    const entitlements: SnapshotAccount['entitlements'] = [];
    for (const [column, kind] of [
      ['roles', 'role'],
      ['groups', 'group'],
      ['privileges', 'privilege'],
    ] as const) {
      for (const name of readList(cell(column))) {
        if (name.length > 500) problems.push([column, `"${name.slice(0, 40)}…" is too long`]);
        else entitlements.push({ kind, name, privileged: false });
      }
    }
    if (externalId !== '') {
      const first = firstLineOf.get(externalId);
      if (first !== undefined) {
        problems.push([
          columns.includes('external_id') ? 'external_id' : 'username',
          `"${externalId}" is also on line ${String(first)}`,
        ]);
      } else {
        firstLineOf.set(externalId, row);
      }
    }
    if (problems.length > 0) {
      for (const [column, message] of problems) {
        errors.push({ row, column: column ?? '', message: message ?? '' });
      }
      continue;
    }
    accounts.push({
      externalId,
      username: cell('username') || null,
      email: email || null,
      displayName: cell('display_name') || null,
      status: statusRaw === 'disabled' ? 'disabled' : 'active',
      privileged: privileged ?? false,
      mfaEnabled,
      lastSignInAt,
      validUntil,
      entitlements,
    });
  }
  return { accounts, errors };
}
