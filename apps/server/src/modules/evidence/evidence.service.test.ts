import { describe, expect, it } from 'vitest';
import { contentDisposition } from './evidence.routes.ts';
import {
  decodeCursor,
  encodeCursor,
  resolveEffectivePeriod,
  sanitizeFileName,
  sanitizeMediaType,
} from './evidence.service.ts';

describe('evidence input', () => {
  it('keeps only the last path segment of a file name, without control characters', () => {
    expect(sanitizeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(sanitizeFileName('..')).toBe('file');
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(Array.from(sanitizeFileName('😀'.repeat(300)))).toHaveLength(255);
  });

  it('accepts a plain media type and falls back to octet-stream otherwise', () => {
    expect(sanitizeMediaType('Application/PDF')).toBe('application/pdf');
    expect(sanitizeMediaType('text/plain; charset=utf-8')).toBe('text/plain');
    expect(sanitizeMediaType('text/html\r\nx-evil: 1')).toBe('application/octet-stream');
    expect(sanitizeMediaType('')).toBe('application/octet-stream');
  });

  it('derives the effective period from the collection day and a cadence', () => {
    const collectedAt = new Date('2026-01-31T23:30:00Z');
    expect(
      resolveEffectivePeriod({
        collectedAt,
        effectiveFrom: undefined,
        effectiveTo: undefined,
        cadenceMonths: null,
      }),
    ).toEqual({ effectiveFrom: '2026-01-31', effectiveTo: '2027-01-31' });
    expect(
      resolveEffectivePeriod({
        collectedAt,
        effectiveFrom: undefined,
        effectiveTo: undefined,
        cadenceMonths: 1,
      }),
    ).toEqual({ effectiveFrom: '2026-01-31', effectiveTo: '2026-02-28' });
    expect(
      resolveEffectivePeriod({
        collectedAt,
        effectiveFrom: '2025-12-01',
        effectiveTo: undefined,
        cadenceMonths: 3,
      }),
    ).toEqual({ effectiveFrom: '2025-12-01', effectiveTo: '2026-03-01' });
  });
});

describe('evidence cursor', () => {
  it('round-trips and refuses anything else, naming the cursor', () => {
    const cursor = {
      createdAt: '2026-11-27T01:02:03.123456Z',
      id: '0b6c7b1e-8d7a-4f7e-9a55-3e1f2d3c4b5a',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of [
      '',
      'x',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('["2026-01-01", "id"]').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });
});

describe('content disposition', () => {
  it('always says attachment, with an ASCII fallback and the exact name encoded', () => {
    expect(contentDisposition('report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
    expect(contentDisposition('rapport "final" é.pdf')).toBe(
      `attachment; filename="rapport _final_ _.pdf"; filename*=UTF-8''rapport%20%22final%22%20%C3%A9.pdf`,
    );
  });
});
