import { describe, expect, it } from 'vitest';
import {
  derivePurl,
  formatPurl,
  identityKey,
  makeResult,
  parseCwes,
  parsePurl,
  pickCvss,
  purlPackageKey,
  severityFromScore,
  severityFromText,
} from './result-helpers.ts';

describe('severityFromScore', () => {
  it('maps scores on the CVSS rating scale', () => {
    expect([10, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromScore)).toEqual([
      'critical',
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
      'info',
    ]);
  });
});

describe('severityFromText', () => {
  it('knows the usual words and says nothing for the others', () => {
    expect(
      ['CRITICAL', 'High', 'moderate', 'warning', 'low', 'note', 'none'].map(severityFromText),
    ).toEqual(['critical', 'high', 'medium', 'medium', 'low', 'info', 'info']);
    expect(severityFromText('UNKNOWN')).toBeUndefined();
    expect(severityFromText(undefined)).toBeUndefined();
  });
});

describe('pickCvss', () => {
  it('computes the base score of a v3.1 vector given without a score', () => {
    expect(pickCvss([{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }])).toEqual({
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
      cvssV3Score: 10,
    });
  });

  it('computes the score of a v4.0 vector, threat metrics included', () => {
    expect(
      pickCvss([{ vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:U' }]),
    ).toEqual({
      cvssV4Vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:U',
      cvssV4Score: 2.3,
    });
  });

  it('keeps the score a report gives and takes the first vector of each version', () => {
    expect(
      pickCvss([
        { vector: 'AV:L/AC:L/Au:N/C:C/I:C/A:C', score: 7.2 },
        { vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: '9.8' },
        { vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', score: 7.8 },
      ]),
    ).toEqual({
      cvssV3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cvssV3Score: 9.8,
    });
  });

  it('prefixes a bare v3 vector with the stated version', () => {
    expect(pickCvss([{ vector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', v3Version: '3.0' }])).toEqual(
      { cvssV3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cvssV3Score: 9.8 },
    );
  });

  it('drops incomplete or invalid vectors', () => {
    expect(
      pickCvss([
        { vector: 'CVSS:3.1/AV:N/AC:L/PR:N' },
        { vector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        { vector: 'CVSS:4.0/AV:N/AC:L' },
        { vector: 42 },
      ]),
    ).toEqual({});
  });
});

describe('parseCwes', () => {
  it('reads the usual spellings and drops the rest', () => {
    expect(
      parseCwes(['CWE-79', 'cwe-079', 89, '22', 'external/cwe/cwe-798', 'CWE-', 'x', 0]),
    ).toEqual([79, 89, 22, 798]);
  });
});

describe('package URLs', () => {
  it('parses and writes them back', () => {
    const purl = parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar');
    expect(purl).toEqual({
      type: 'maven',
      namespace: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.14.1',
    });
    expect(purl === undefined ? undefined : purlPackageKey(purl)).toBe(
      'maven/org.apache.logging.log4j/log4j-core',
    );
    expect(parsePurl('pkg:npm/%40babel/core@7.0.0')).toEqual({
      type: 'npm',
      namespace: '@babel',
      name: 'core',
      version: '7.0.0',
    });
    expect(formatPurl({ type: 'npm', namespace: '@babel', name: 'core', version: '7.0.0' })).toBe(
      'pkg:npm/%40babel/core@7.0.0',
    );
    expect(parsePurl('not a purl')).toBeUndefined();
  });

  it('derives them from scanner ecosystems', () => {
    expect(derivePurl('jar', 'org.apache.tomcat:tomcat-catalina', '9.0.109')).toBe(
      'pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109',
    );
    expect(derivePurl('debian', 'bash', '5.0-4')).toBe('pkg:deb/debian/bash@5.0-4');
    expect(derivePurl('pip', 'urllib3', '1.26.3')).toBe('pkg:pypi/urllib3@1.26.3');
    expect(derivePurl('npm', '@vercel/node', undefined)).toBe('pkg:npm/%40vercel/node');
    expect(derivePurl('unknown-ecosystem', 'x', '1')).toBeUndefined();
  });
});

describe('identityKey', () => {
  it('joins parts with | and encodes a | inside a part', () => {
    expect(identityKey('dep', 'CVE-2021-44228', 'maven/log4j-core', '2.14.1')).toBe(
      'dep:CVE-2021-44228|maven/log4j-core|2.14.1',
    );
    expect(identityKey('code', 'a|b', undefined, 3)).toBe('code:a%7Cb||3');
    expect(identityKey('code', 'a', '|b')).not.toBe(identityKey('code', 'a|', 'b'));
  });
});

describe('makeResult', () => {
  it('fills defaults, removes repeats and empty optional fields', () => {
    expect(
      makeResult({
        category: 'dependency',
        identityKey: 'dep:X|npm/a|1',
        title: '  first line\nsecond line',
        severity: 'low',
        vulnerabilityIds: ['X', 'X', 'Y'],
        cwes: [79, 79],
        references: ['https://a', 'https://a'],
        locations: [{ file: 'a' }, { file: 'a' }, {}, { file: 'a', line: 2 }],
        description: '',
        packageName: 'a',
      }),
    ).toEqual({
      category: 'dependency',
      identityKey: 'dep:X|npm/a|1',
      title: 'first line',
      severity: 'low',
      vulnerabilityIds: ['X', 'Y'],
      cwes: [79],
      references: ['https://a'],
      locations: [{ file: 'a' }, { file: 'a', line: 2 }],
      arrivalState: 'open',
      packageName: 'a',
    });
  });
});
