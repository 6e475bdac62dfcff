import { describe, expect, it } from 'vitest';
import { parseFilter, parsePatchPath, ScimParseError, type Filter } from './scim-filter.ts';
import { knownUrns } from './scim-schema.ts';

const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const parse = (text: string) => parseFilter(text, knownUrns);
const path = (attr: string, sub: string | null = null, urn: string | null = null) => ({
  urn,
  attr,
  sub,
});

function positionOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimParseError) return error.position;
    throw error;
  }
  throw new Error('no error');
}

describe('parseFilter', () => {
  it('reads every comparison operator and pr, with JSON literals', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
      expect(parse(`userName ${op} "a"`)).toEqual({
        kind: 'compare',
        path: path('userName'),
        op,
        value: 'a',
      });
    }
    expect(parse('title pr')).toEqual({ kind: 'present', path: path('title') });
    expect(parse('active EQ True')).toMatchObject({ op: 'eq', value: true });
    expect(parse('manager eq null')).toMatchObject({ value: null });
    expect(parse('count gt -1.5e2')).toMatchObject({ value: -150 });
    expect(parse('userName eq "quote \\" and \\u00e9"')).toMatchObject({ value: 'quote " and é' });
  });

  it('gives not precedence over and, and and over or', () => {
    const filter = parse('a eq "1" or b eq "2" and not (c eq "3")');
    expect(filter).toEqual<Filter>({
      kind: 'or',
      left: { kind: 'compare', path: path('a'), op: 'eq', value: '1' },
      right: {
        kind: 'and',
        left: { kind: 'compare', path: path('b'), op: 'eq', value: '2' },
        right: {
          kind: 'not',
          filter: { kind: 'compare', path: path('c'), op: 'eq', value: '3' },
        },
      },
    });
    expect(parse('(a eq "1" or b eq "2") and c pr')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'present' },
    });
  });

  it('reads sub-attributes, schema URNs and value paths', () => {
    expect(parse('name.familyName eq "x"')).toMatchObject({ path: path('name', 'familyName') });
    expect(parse(`${enterprise}:manager.value eq "m"`)).toMatchObject({
      path: path('manager', 'value', enterprise),
    });
    expect(parse('emails[type eq "work" and value co "@x"]')).toEqual<Filter>({
      kind: 'valuePath',
      path: path('emails'),
      filter: {
        kind: 'and',
        left: { kind: 'compare', path: path('type'), op: 'eq', value: 'work' },
        right: { kind: 'compare', path: path('value'), op: 'co', value: '@x' },
      },
    });
    expect(parse('emails[type eq "work"].value ew "@x"')).toEqual<Filter>({
      kind: 'valuePath',
      path: path('emails'),
      filter: {
        kind: 'and',
        left: { kind: 'compare', path: path('type'), op: 'eq', value: 'work' },
        right: { kind: 'compare', path: path('value'), op: 'ew', value: '@x' },
      },
    });
  });

  it('refuses what RFC 7644 does not allow, saying where', () => {
    expect(() => parse('userName eq Employee')).toThrow(/Expected a value/);
    expect(() => parse('userName eq')).toThrow(ScimParseError);
    expect(() => parse('userName xx "a"')).toThrow(/Unknown operator "xx"/);
    expect(() => parse('(userName eq "a"')).toThrow(/Expected "\)"/);
    expect(() => parse('userName eq "a" extra')).toThrow(/Unexpected "extra"/);
    expect(() => parse('not userName eq "a"')).toThrow(/"\(" after not/);
    expect(() => parse('emails[value[type eq "x"]]')).toThrow(/nested/);
    expect(() => parse('urn:unknown:thing eq "x"')).toThrow(/Unknown schema/);
    expect(() => parse(`${enterprise} eq "x"`)).toThrow(/names a schema/);
    expect(() => parse('"abc')).toThrow(/not closed/);
    expect(() => parse('')).toThrow(/empty/);
    expect(() => parse('a.b.c eq "x"')).toThrow(/not an attribute path/);
    expect(positionOf(() => parse('userName xx "a"'))).toBe(9);
    expect(() => parse(`${'('.repeat(40)}a pr${')'.repeat(40)}`)).toThrow(/too deeply/);
    expect(parse(`${'('.repeat(10)}a pr${')'.repeat(10)}`)).toMatchObject({ kind: 'present' });
  });
});

describe('parsePatchPath', () => {
  it('reads attributes, sub-attributes, value filters and extension paths', () => {
    expect(parsePatchPath('userName', knownUrns)).toEqual({
      path: path('userName'),
      filter: null,
      sub: null,
    });
    expect(parsePatchPath('name.givenName', knownUrns)).toMatchObject({
      path: path('name', 'givenName'),
    });
    expect(parsePatchPath('members[value eq "2819c223"]', knownUrns)).toEqual({
      path: path('members'),
      filter: { kind: 'compare', path: path('value'), op: 'eq', value: '2819c223' },
      sub: null,
    });
    expect(parsePatchPath('emails[type eq "work"].value', knownUrns)).toMatchObject({
      path: path('emails'),
      sub: 'value',
    });
    expect(parsePatchPath(`${enterprise}:department`, knownUrns)).toMatchObject({
      path: path('department', null, enterprise),
    });
    expect(parsePatchPath(enterprise.toUpperCase(), knownUrns)).toMatchObject({
      path: { urn: enterprise, attr: null, sub: null },
    });
  });

  it('refuses malformed paths', () => {
    for (const bad of [
      'members[value eq "x"',
      'members[value eq "x"] extra',
      'name.givenName[type eq "x"]',
      'members[]',
      '',
      '[value eq "x"]',
      'emails[type eq work]',
      'urn:nowhere:attr',
    ]) {
      expect(() => parsePatchPath(bad, knownUrns), bad).toThrow(ScimParseError);
    }
  });
});
