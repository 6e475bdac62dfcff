import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import { decodeUtf8, isCalendarDay, parsePeopleCsv } from './people-csv.ts';

function fileError(text: string | Buffer): { message: string; paths: string[] } {
  try {
    parsePeopleCsv(typeof text === 'string' ? Buffer.from(text) : text);
  } catch (error) {
    if (error instanceof AppError) {
      return { message: error.message, paths: (error.fieldErrors ?? []).map((e) => e.path) };
    }
    throw error;
  }
  throw new Error('no error');
}

describe('parsePeopleCsv', () => {
  it('reads a file with a BOM, any column order, header spacing and case', () => {
    const csv = parsePeopleCsv(
      Buffer.from(
        '\uFEFFName,Email,Start Date,employment-type,STATUS\r\n' +
          'Ada Lovelace,ADA@example.com,2024-01-15,Employee,on leave\r\n' +
          '"Hopper, Grace",grace@example.com,,,\r\n',
      ),
    );
    expect(csv.columns).toEqual(['name', 'email', 'start_date', 'employment_type', 'status']);
    expect(csv.rows).toEqual([
      {
        line: 2,
        values: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          start_date: '2024-01-15',
          employment_type: 'employee',
          status: 'on_leave',
        },
        errors: [],
      },
      {
        line: 3,
        values: {
          name: 'Hopper, Grace',
          email: 'grace@example.com',
          start_date: null,
          employment_type: null,
          status: null,
        },
        errors: [],
      },
    ]);
  });

  it('takes semicolon-separated files too', () => {
    const csv = parsePeopleCsv(Buffer.from('email;name;department\na@x.test;A;Sales\n'));
    expect(csv.rows[0]?.values).toMatchObject({ email: 'a@x.test', department: 'Sales' });
  });

  it('keeps cell problems on their row: dates, emails, types, duplicates, self-management', () => {
    const csv = parsePeopleCsv(
      Buffer.from(
        'email,name,start_date,end_date,employment_type,manager_email,status\n' +
          'a@x.test,A,2024-02-30,,,,\n' +
          'not-an-email,B,,,,,\n' +
          'c@x.test,,2024-05-01,2024-04-01,freelance,c@x.test,gone\n' +
          'a@x.test,A again,,,,,\n',
      ),
    );
    expect(csv.rows.map((r) => [r.line, r.errors.map((e) => e.column)])).toEqual([
      [2, ['start_date']],
      [3, ['email']],
      [4, ['name', 'employment_type', 'status', 'end_date', 'manager_email']],
      [5, ['email']],
    ]);
    expect(csv.rows[3]?.errors[0]?.message).toContain('also on line 2');
  });

  it('fails the whole file for missing, unknown or repeated columns, bad CSV, no data', () => {
    expect(fileError('name,department\nA,B\n')).toMatchObject({
      message: expect.stringContaining('Missing column email') as string,
      paths: ['columns.email'],
    });
    expect(fileError('email,name,deparment\n').message).toContain('Unknown column "deparment"');
    expect(fileError('email,name,Email\n').message).toContain('appears twice');
    expect(fileError('email,name\n"a@x.test,A\n').message).toContain('not valid CSV');
    expect(fileError('email,name\na@x.test,A,extra\n').message).toMatch(/line 2/);
    expect(fileError('').message).toContain('empty');
  });

  it('names the first line that is not UTF-8', () => {
    const latin1 = Buffer.concat([
      Buffer.from('email,name\na@x.test,Ok\nb@x.test,Ren'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    expect(fileError(latin1)).toEqual({
      message: expect.stringContaining('Line 3 is not UTF-8') as string,
      paths: ['rows.3'],
    });
    expect(decodeUtf8(Buffer.from('é'))).toBe('é');
  });
});

describe('isCalendarDay', () => {
  it('accepts real days only', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('2024-1-1')).toBe(false);
    expect(isCalendarDay('24-01-01')).toBe(false);
  });
});
