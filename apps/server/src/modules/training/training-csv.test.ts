import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { parseCompletedAt, parseCompletionsCsv } from './training-csv.ts';

const now = new Date('2026-11-27T12:00:00Z');

function problem(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('parseCompletionsCsv', () => {
  it('reads rows with their line numbers, any column order, semicolons and a BOM', () => {
    const rows = parseCompletionsCsv(
      Buffer.from(
        '\uFEFFmodule_key;Email;completed_at;score\nphishing;Ann@Example.test;2026-11-01;90%\n',
      ),
      now,
    );
    expect(rows).toEqual([
      {
        row: 2,
        email: 'ann@example.test',
        moduleKey: 'phishing',
        completedAt: new Date('2026-11-01T12:00:00Z'),
        score: 90,
        externalRef: null,
        errors: [],
      },
    ]);
  });

  it('keeps cell problems on their row and column', () => {
    const [row] = parseCompletionsCsv(
      Buffer.from('email,module_key,completed_at,score,external_id\nnot-mail,,2027-01-01,101,x\n'),
      now,
    );
    expect(row?.errors.map((e) => e.column)).toEqual([
      'email',
      'module_key',
      'completed_at',
      'score',
    ]);
  });

  it('refuses a file with an unknown or missing column, wrong cell counts or no rows', () => {
    expect(
      problem(() => parseCompletionsCsv(Buffer.from('email,module,completed_at\n'), now))
        .fieldErrors?.[0]?.path,
    ).toBe('columns.module');
    expect(
      problem(() => parseCompletionsCsv(Buffer.from('email,completed_at\na@b.c,2026-01-01\n'), now))
        .fieldErrors?.[0]?.path,
    ).toBe('columns.module_key');
    expect(
      problem(() =>
        parseCompletionsCsv(Buffer.from('email,module_key,completed_at\na@b.c,x\n'), now),
      ).fieldErrors?.[0]?.path,
    ).toBe('rows.2');
    expect(
      problem(() => parseCompletionsCsv(Buffer.from('email,module_key,completed_at\n'), now)).code,
    ).toBe('training.import_invalid');
    expect(problem(() => parseCompletionsCsv(Buffer.from([0xff, 0xfe, 0x00]), now)).code).toBe(
      'training.import_invalid',
    );
  });
});

describe('parseCompletedAt', () => {
  it('takes calendar days and date-times with an offset, nothing else', () => {
    expect(parseCompletedAt('2026-02-28')?.toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(parseCompletedAt('2026-02-30')).toBeNull();
    expect(parseCompletedAt('2026-11-01T10:00:00+02:00')?.toISOString()).toBe(
      '2026-11-01T08:00:00.000Z',
    );
    expect(parseCompletedAt('2026-11-01T10:00:00')).toBeNull();
    expect(parseCompletedAt('yesterday')).toBeNull();
  });
});
