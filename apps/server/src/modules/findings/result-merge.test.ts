import { describe, expect, it } from 'vitest';
import { makeResult } from './parsers/result-helpers.ts';
import type { NormalizedResult } from './parsers/types.ts';
import {
  cleanText,
  dependencyKeyOf,
  maxLocationsPerFinding,
  reportDigestOf,
  ResultMerger,
  toCleanJson,
} from './result-merge.ts';

function result(fields: Partial<NormalizedResult> & { identityKey: string }): NormalizedResult {
  return makeResult({ category: 'code', title: 'A problem', severity: 'medium', ...fields });
}

describe('ResultMerger', () => {
  it('merges results with the same tool and identity, counting occurrences and joining locations', () => {
    const merger = new ResultMerger('semgrep');
    merger.add(result({ identityKey: 'code:R|a.ts|1', locations: [{ file: 'a.ts', line: 1 }] }));
    merger.add(result({ identityKey: 'code:R|b.ts|2', locations: [{ file: 'b.ts', line: 2 }] }));
    merger.add(
      result({
        identityKey: 'code:R|a.ts|1',
        severity: 'high',
        locations: [
          { file: 'a.ts', line: 1 },
          { file: 'a.ts', line: 9 },
        ],
      }),
    );
    expect(merger.results).toBe(3);
    expect(merger.size).toBe(2);
    const [first, second] = [...merger.findings()];
    expect(first).toMatchObject({ occurrences: 2, severity: 'high', seq: 0, locationCount: 2 });
    expect(JSON.parse(first?.locationsJson ?? '')).toEqual([
      { file: 'a.ts', line: 1 },
      { file: 'a.ts', line: 9 },
    ]);
    expect(first?.fields).toMatchObject({ title: 'A problem' });
    expect(second).toMatchObject({ occurrences: 1, seq: 1 });
    expect(merger.tools()).toEqual(['semgrep']);
  });

  it('keeps the fields of the first result, cleaned for the database', () => {
    const merger = new ResultMerger('semgrep');
    merger.add(
      result({
        identityKey: 'code:R|a.ts|1',
        title: 'Bad\u0000 input',
        ruleId: 'R\u0000',
        vulnerabilityIds: ['CVE-2024-1\u0000'],
        references: ['https://x.example/\uD800'],
        description: 'first',
      }),
    );
    merger.add(result({ identityKey: 'code:R|a.ts|1', title: 'Other', description: 'second' }));
    const [finding] = [...merger.findings()];
    expect(finding?.fields).toMatchObject({
      title: 'Bad input',
      ruleId: 'R',
      vulnerabilityIds: ['CVE-2024-1'],
      references: ['https://x.example/\uFFFD'],
      description: 'first',
    });
  });

  it('keeps the same identity of two tools apart', () => {
    const merger = new ResultMerger('sarif');
    merger.add(result({ identityKey: 'code:R|a|1', tool: 'CodeQL' }));
    merger.add(result({ identityKey: 'code:R|a|1', tool: 'Semgrep' }));
    expect(merger.size).toBe(2);
    expect(merger.tools()).toEqual(['CodeQL', 'Semgrep']);
  });

  it('keeps a finding open when one of its results is not suppressed', () => {
    const merger = new ResultMerger('sarif');
    merger.add(result({ identityKey: 'k', arrivalState: 'false_positive', arrivalReason: 'test' }));
    merger.add(result({ identityKey: 'k' }));
    expect([...merger.findings()][0]).toMatchObject({
      arrivalState: 'open',
      arrivalReason: undefined,
    });
    const suppressed = new ResultMerger('sarif');
    suppressed.add(
      result({ identityKey: 'k', arrivalState: 'not_affected', arrivalReason: 'vex' }),
    );
    suppressed.add(result({ identityKey: 'k', arrivalState: 'not_affected' }));
    expect([...suppressed.findings()][0]).toMatchObject({
      arrivalState: 'not_affected',
      arrivalReason: 'vex',
    });
  });

  it('bounds the locations of a finding and says how many were dropped', () => {
    const merger = new ResultMerger('trivy');
    for (let i = 0; i < maxLocationsPerFinding + 5; i += 1) {
      merger.add(result({ identityKey: 'k', locations: [{ path: `p${String(i)}` }] }));
    }
    const [finding] = [...merger.findings()];
    expect(finding?.locationCount).toBe(maxLocationsPerFinding);
    expect(finding?.occurrences).toBe(maxLocationsPerFinding + 5);
    expect(merger.warnings()[0]?.message).toMatch(/^5 location/);
  });

  it('hands the fields of each new finding to a sink instead of keeping them', () => {
    const taken: { seq: number; title: string; description: string | undefined }[] = [];
    const merger = new ResultMerger('semgrep', (finding, fields) => {
      taken.push({ seq: finding.seq, title: fields.title, description: fields.description });
    });
    merger.add(result({ identityKey: 'a', title: 'First\u0000', description: 'one' }));
    merger.add(result({ identityKey: 'b', title: 'Second' }));
    merger.add(result({ identityKey: 'a', title: 'Again', severity: 'high' }));
    expect(taken).toEqual([
      { seq: 0, title: 'First', description: 'one' },
      { seq: 1, title: 'Second', description: undefined },
    ]);
    const [first] = [...merger.findings()];
    expect(first?.fields).toBeUndefined();
    expect(first).toMatchObject({ occurrences: 2, severity: 'high', seq: 0 });
  });

  it('lets go of its findings on release but keeps the counts, tools and warnings', () => {
    const merger = new ResultMerger('trivy');
    for (let i = 0; i < maxLocationsPerFinding + 2; i += 1) {
      merger.add(result({ identityKey: 'k', locations: [{ path: `p${String(i)}` }] }));
    }
    merger.add(result({ identityKey: 'other' }));
    merger.release();
    expect([...merger.findings()]).toEqual([]);
    expect(merger.get('trivy', 'k')).toBeUndefined();
    expect(merger.size).toBe(2);
    expect(merger.results).toBe(maxLocationsPerFinding + 3);
    expect(merger.tools()).toEqual(['trivy']);
    expect(merger.warnings()[0]?.message).toMatch(/^2 location/);
  });
});

describe('reportDigestOf and cleanText', () => {
  it('changes with what a report may change on a known finding, and only that', () => {
    const digestOf = (fields: Partial<NormalizedResult>) => {
      const merger = new ResultMerger('trivy');
      merger.add(result({ identityKey: 'k', locations: [{ file: 'a' }], ...fields }));
      const [finding] = [...merger.findings()];
      return finding ? reportDigestOf(finding) : '';
    };
    expect(digestOf({})).toBe(digestOf({ title: 'Another title' }));
    expect(digestOf({})).not.toBe(digestOf({ fixVersion: '1.2.3' }));
    expect(digestOf({})).not.toBe(digestOf({ locations: [{ file: 'b' }] }));
  });

  it('drops what the database cannot store', () => {
    expect(cleanText('a\u0000b\uD800c')).toBe('ab\uFFFDc');
    expect(cleanText('plain')).toBe('plain');
    expect(JSON.parse(toCleanJson({ a: 'x\u0000y', b: ['\uDC00'] }))).toEqual({
      a: 'xy',
      b: ['\uFFFD'],
    });
    expect(toCleanJson({ a: 'ok' })).toBe('{"a":"ok"}');
  });
});

describe('dependencyKeyOf', () => {
  const dependency = (fields: Partial<NormalizedResult>) =>
    result({ identityKey: 'dep:x', category: 'dependency', ...fields });

  it('agrees across tools that name the package differently', () => {
    const trivy = dependency({
      vulnerabilityIds: ['CVE-2021-44228'],
      packageName: 'org.apache.logging.log4j:log4j-core',
      packageVersion: '2.14.1',
    });
    const grype = dependency({
      vulnerabilityIds: ['GHSA-jfh8-c2jp-5v3q', 'CVE-2021-44228'],
      packageName: 'log4j-core',
      packageVersion: '2.14.1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    });
    expect(dependencyKeyOf(trivy)).toBe(
      'CVE-2021-44228|org.apache.logging.log4j/log4j-core|2.14.1',
    );
    expect(dependencyKeyOf(grype)).toBe(dependencyKeyOf(trivy));
  });

  it('drops the distribution of OS packages and ignores non-dependency findings', () => {
    const deb = dependency({
      vulnerabilityIds: ['cve-2021-33574'],
      packageName: 'libc6',
      packageVersion: '2.28-10',
      purl: 'pkg:deb/debian/libc6@2.28-10?arch=amd64',
    });
    expect(dependencyKeyOf(deb)).toBe('CVE-2021-33574|libc6|2.28-10');
    expect(
      dependencyKeyOf(result({ identityKey: 'code:x', vulnerabilityIds: ['CVE-1'] })),
    ).toBeNull();
    expect(dependencyKeyOf(dependency({ packageName: 'x' }))).toBeNull();
  });
});
