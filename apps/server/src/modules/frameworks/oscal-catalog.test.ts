import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';
import {
  narrowCatalogByProfile,
  OscalError,
  parseOscalCatalog,
  parseOscalProfile,
  type ImportedCatalog,
} from './oscal-catalog.ts';

const LOW = 'NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json';
const MODERATE = 'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json';
const MODERATE_PROFILE = 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json';

function readOscal(name: string): string {
  return readFileSync(sharedPath('data', 'oscal', name), 'utf8');
}

function errorOf(run: () => unknown): OscalError {
  try {
    run();
  } catch (error) {
    if (error instanceof OscalError) return error;
    throw error;
  }
  throw new Error('expected an OscalError');
}

function requirement(catalog: ImportedCatalog, ref: string) {
  const found = catalog.requirements.find((candidate) => candidate.ref === ref);
  if (found === undefined) throw new Error(`no requirement ${ref}`);
  return found;
}

function catalogText(body: Record<string, unknown>, version = '1.1.2'): string {
  return JSON.stringify({
    catalog: {
      uuid: '9f2a1c4e-0b7d-4e59-8a43-2f6c1d0e9b71',
      metadata: { title: 'Test catalog', version: '1', 'oscal-version': version },
      ...body,
    },
  });
}

describe.skipIf(!hasSharedData('data', 'oscal'))(
  'parseOscalCatalog with the NIST baselines',
  () => {
    const low = parseOscalCatalog(readOscal(LOW), LOW);
    const moderate = parseOscalCatalog(readOscal(MODERATE), MODERATE);

    it('reads every control and enhancement of the LOW baseline', () => {
      expect(low).toMatchObject({
        uuid: '0470d39a-3e02-4bff-82cf-676d522c1554',
        title: 'NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE',
        version: '5.1.1+u4',
        oscalVersion: '1.1.2',
      });
      expect(low.requirements).toHaveLength(149);
      expect(low.requirements.filter((r) => r.parentRef === null)).toHaveLength(131);
      expect(low.requirements.filter((r) => r.parentRef !== null)).toHaveLength(18);
      expect(new Set(low.requirements.map((r) => r.groupId)).size).toBe(18);
      expect(low.requirements.slice(0, 3).map((r) => r.ref)).toEqual(['ac-1', 'ac-2', 'ac-3']);
    });

    it('reads every control and enhancement of the MODERATE baseline, in document order', () => {
      expect(moderate.uuid).toBe('4b12cf47-447b-47bb-8653-0a9cf544b744');
      expect(moderate.requirements).toHaveLength(287);
      expect(moderate.requirements.filter((r) => r.parentRef === null)).toHaveLength(177);
      expect(moderate.requirements.filter((r) => r.parentRef !== null)).toHaveLength(110);
      expect(moderate.requirements.map((r) => r.sortOrder)).toEqual([...Array(287).keys()]);
      const groups = new Map(moderate.requirements.map((r) => [r.groupId, r.groupTitle]));
      expect(groups.size).toBe(18);
      expect(groups.get('ac')).toBe('Access Control');
      expect(groups.get('sr')).toBe('Supply Chain Risk Management');
    });

    it('flattens AC-2 with item labels, nested items and parameters', () => {
      const ac2 = requirement(moderate, 'ac-2');
      expect(ac2).toMatchObject({
        label: 'AC-2',
        title: 'Account Management',
        groupId: 'ac',
        groupTitle: 'Access Control',
        parentRef: null,
        sortOrder: 1,
      });
      const lines = ac2.text.split('\n');
      expect(lines[0]).toBe(
        'a. Define and document the types of accounts allowed and specifically prohibited for use within the system;',
      );
      expect(lines).toContain(
        'c. Require [Assignment: prerequisites and criteria] for group and role membership;',
      );
      expect(lines).toContain('d. Specify:');
      expect(lines).toContain('  1. Authorized users of the system;');
      expect(lines).toContain(
        '  1. [Assignment: time period] when accounts are no longer required;',
      );
      expect(lines.at(-1)).toBe(
        'l. Align account management processes with personnel termination and transfer processes.',
      );
      expect(ac2.text).not.toContain('{{');
      expect(ac2.guidance).toMatch(/^Examples of system account types include individual, shared/);
      expect(ac2.guidance.split('\n\n')).toHaveLength(3);
    });

    it('reads the enhancement AC-2(1) under its parent', () => {
      expect(requirement(moderate, 'ac-2.1')).toMatchObject({
        label: 'AC-2(1)',
        title: 'Automated System Account Management',
        text: 'Support the management of system accounts using [Assignment: automated mechanisms].',
        parentRef: 'ac-2',
        groupId: 'ac',
        sortOrder: 2,
      });
    });

    it('writes selections out, including parameters nested in their choices', () => {
      expect(requirement(moderate, 'ac-2.2').text).toBe(
        'Automatically [Selection: remove; disable] temporary and emergency accounts after [Assignment: time period].',
      );
      expect(requirement(moderate, 'ac-7').text).toContain(
        'b. Automatically [Selection (one or more): lock the account or node for [Assignment: time period]; lock the account or node until released by an administrator; delay next logon prompt per [Assignment: delay algorithm]; notify system administrator; take other [Assignment: action]] when',
      );
      expect(requirement(moderate, 'ac-1').text).toContain(
        '    (a) Addresses purpose, scope, roles, responsibilities',
      );
    });

    it('points at the JSON path of a missing control title', () => {
      const doc = JSON.parse(readOscal(MODERATE)) as {
        catalog: { groups: { controls: Record<string, unknown>[] }[] };
      };
      const control = doc.catalog.groups[3]?.controls[6];
      if (control === undefined) throw new Error('fixture changed');
      delete control.title;
      const error = errorOf(() => parseOscalCatalog(JSON.stringify(doc), MODERATE));
      expect(error.where).toEqual({ path: 'catalog.groups[3].controls[6].title' });
      expect(error.message).toBe(
        `${MODERATE}: the title of control ca-9 is missing (at catalog.groups[3].controls[6].title)`,
      );
    });
  },
);

describe.skipIf(!hasSharedData('data', 'oscal'))(
  'parseOscalProfile and narrowCatalogByProfile',
  () => {
    const profile = parseOscalProfile(readOscal(MODERATE_PROFILE), MODERATE_PROFILE);

    it('reads the ids the MODERATE profile includes and resolves its catalog link', () => {
      expect(profile.uuid).toBe('f4faee53-d96f-4fdb-b491-4a1a79066b9b');
      expect(profile.title).toBe(
        'NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE',
      );
      expect(profile.imports).toHaveLength(1);
      expect(profile.imports[0]).toMatchObject({
        href: '../../../../nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json',
        includeAll: false,
        excludeIds: [],
      });
      expect(profile.imports[0]?.withIds).toHaveLength(287);
      expect(profile.imports[0]?.withIds.slice(0, 3)).toEqual(['ac-1', 'ac-2', 'ac-2.1']);
    });

    it('keeps every control when applied to the MODERATE resolved catalog', () => {
      const moderate = parseOscalCatalog(readOscal(MODERATE));
      const narrowed = narrowCatalogByProfile(moderate, profile);
      expect(narrowed.requirements).toHaveLength(287);
      expect(narrowed.requirements.map((r) => r.ref)).toEqual(
        moderate.requirements.map((r) => r.ref),
      );
      expect(narrowed.uuid).toBe(profile.uuid);
      expect(narrowed.title).toBe(profile.title);
    });

    it('lists the controls the LOW catalog lacks', () => {
      const low = parseOscalCatalog(readOscal(LOW));
      const error = errorOf(() => narrowCatalogByProfile(low, profile));
      expect(error.message).toBe(
        'the profile "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE" names 138 controls that the catalog "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE" does not have: ac-2.1, ac-2.2, ac-2.3, ac-2.4, ac-2.5, ac-2.13, ac-4, ac-5, ac-6, ac-6.1 and 128 more',
      );
    });

    it('keeps exactly the listed ids, re-parenting an enhancement whose parent is left out', () => {
      const moderate = parseOscalCatalog(readOscal(MODERATE));
      const narrowed = narrowCatalogByProfile(moderate, {
        uuid: 'b3f1e6a2-7c4d-4e8f-9a1b-2c3d4e5f6a7b',
        title: 'Two controls',
        imports: [{ href: '#x', includeAll: false, withIds: ['ac-2.1', 'ac-1'], excludeIds: [] }],
      });
      expect(narrowed.requirements.map((r) => [r.ref, r.parentRef, r.sortOrder])).toEqual([
        ['ac-1', null, 0],
        ['ac-2.1', null, 1],
      ]);
    });

    it('applies include-all with exclusions', () => {
      const low = parseOscalCatalog(readOscal(LOW));
      const narrowed = narrowCatalogByProfile(low, {
        uuid: 'b3f1e6a2-7c4d-4e8f-9a1b-2c3d4e5f6a7b',
        title: 'All but AC-2',
        imports: [{ href: '#x', includeAll: true, withIds: [], excludeIds: ['ac-2'] }],
      });
      expect(narrowed.requirements).toHaveLength(148);
      expect(narrowed.requirements.some((r) => r.ref === 'ac-2')).toBe(false);
    });
  },
);

describe('parseOscalCatalog with bad input', () => {
  it('gives the line and column of a JSON syntax error', () => {
    const text = '{\n  "catalog": {\n    "uuid": "x",\n    "metadata": { "title": "T", }\n  }\n}';
    const error = errorOf(() => parseOscalCatalog(text, 'nist.json'));
    expect(error.where).toEqual({ line: 4, column: 33 });
    expect(error.message).toBe(
      'nist.json: invalid JSON at line 4, column 33: expected a property name in double quotes but found a trailing comma',
    );
  });

  it('locates unexpected characters and truncated files', () => {
    expect(errorOf(() => parseOscalCatalog('{"catalog":\n  tru }')).where).toEqual({
      line: 2,
      column: 3,
    });
    const truncated = errorOf(() => parseOscalCatalog('{"catalog": {"uuid": "x"'));
    expect(truncated.message).toBe(
      "invalid JSON at line 1, column 25: expected ',' or '}' but found the end of the file",
    );
    expect(errorOf(() => parseOscalCatalog('[1,]')).message).toContain("column 4: unexpected ']'");
    expect(errorOf(() => parseOscalCatalog('{"a": "x\ny"}')).where).toEqual({ line: 1, column: 9 });
  });

  it('names duplicate control ids and both places', () => {
    const text = catalogText({
      groups: [
        { id: 'ac', title: 'Access', controls: [{ id: 'ac-1', title: 'One' }] },
        {
          id: 'au',
          title: 'Audit',
          controls: [
            { id: 'au-1', title: 'Audit one', controls: [{ id: 'ac-1', title: 'Again' }] },
          ],
        },
      ],
    });
    const error = errorOf(() => parseOscalCatalog(text));
    expect(error.message).toBe(
      'duplicate control id "ac-1" at catalog.groups[0].controls[0] and catalog.groups[1].controls[0].controls[0] (at catalog.groups[1].controls[0].controls[0])',
    );
  });

  it('says a profile is not a catalog', () => {
    const error = errorOf(() =>
      parseOscalCatalog(JSON.stringify({ profile: { uuid: 'x' } }), 'baseline.json'),
    );
    expect(error.message).toMatch(/^baseline\.json: this is an OSCAL profile, not a catalog/);
  });

  it('names the root it found in other documents', () => {
    expect(errorOf(() => parseOscalCatalog('{"system-security-plan": {}}')).message).toBe(
      'this is an OSCAL system security plan (SSP), not a catalog',
    );
    expect(errorOf(() => parseOscalCatalog('{"controls": []}')).message).toBe(
      'this is not an OSCAL catalog: expected a top-level "catalog" key, found "controls"',
    );
    expect(errorOf(() => parseOscalProfile(catalogText({}))).message).toMatch(
      /^this is an OSCAL catalog, not a profile/,
    );
  });

  it('refuses binary garbage, XML and empty files', () => {
    const garbage = Buffer.concat(
      Array.from({ length: 64 }, (_, i) => createHash('sha256').update(String(i)).digest()),
    );
    expect(errorOf(() => parseOscalCatalog(garbage.toString('utf8'))).message).toBe(
      'this is not a text file; expected an OSCAL catalog in JSON',
    );
    expect(errorOf(() => parseOscalCatalog('<?xml version="1.0"?><catalog/>')).message).toMatch(
      /looks like XML/,
    );
    expect(errorOf(() => parseOscalCatalog('  \n')).message).toMatch(/file is empty/);
  });

  it('gives JSON paths of missing required fields', () => {
    const noTitle = JSON.stringify({
      catalog: { uuid: 'x', metadata: { version: '1', 'oscal-version': '1.0.0' } },
    });
    expect(errorOf(() => parseOscalCatalog(noTitle)).where).toEqual({
      path: 'catalog.metadata.title',
    });
    const noId = catalogText({ groups: [{ title: 'G', controls: [{ title: 'No id' }] }] });
    expect(errorOf(() => parseOscalCatalog(noId)).where).toEqual({
      path: 'catalog.groups[0].controls[0].id',
    });
    const badGroups = catalogText({ groups: { id: 'ac' } });
    expect(errorOf(() => parseOscalCatalog(badGroups)).message).toBe(
      '"groups" must be an array (at catalog.groups)',
    );
  });

  it('accepts OSCAL 1.0.x and 1.1.x only', () => {
    const controls = { controls: [{ id: 'x-1', title: 'X' }] };
    expect(parseOscalCatalog(catalogText(controls, '1.0.0')).requirements).toHaveLength(1);
    const error = errorOf(() => parseOscalCatalog(catalogText(controls, '1.2.0')));
    expect(error.message).toBe(
      'OSCAL version 1.2.0 is not supported; Steward imports OSCAL 1.0.x and 1.1.x (at catalog.metadata.oscal-version)',
    );
    expect(() => parseOscalCatalog(catalogText(controls, '0.9.0'))).toThrow(OscalError);
  });

  it('reads nested groups, catalog-level controls, values set and withdrawn controls', () => {
    const text = catalogText({
      params: [{ id: 'freq', label: 'frequency', values: ['annually'] }],
      controls: [{ id: 'top-1', title: 'Top', props: [{ name: 'label', value: 'T-1' }] }],
      groups: [
        {
          id: 'outer',
          title: 'Outer',
          groups: [
            {
              title: 'Inner without id',
              controls: [
                {
                  id: 'in-1',
                  title: 'Inner',
                  parts: [
                    { name: 'statement', prose: 'Review  the policy {{ insert: param, freq }}.' },
                    { name: 'guidance', prose: 'Why.', parts: [{ name: 'item', prose: 'More.' }] },
                  ],
                },
                { id: 'in-2', title: 'Gone', props: [{ name: 'status', value: 'withdrawn' }] },
              ],
            },
          ],
        },
      ],
    });
    const catalog = parseOscalCatalog(text);
    expect(catalog.requirements).toEqual([
      {
        ref: 'top-1',
        label: 'T-1',
        title: 'Top',
        text: '',
        guidance: '',
        groupId: null,
        groupTitle: null,
        parentRef: null,
        sortOrder: 0,
      },
      {
        ref: 'in-1',
        label: 'IN-1',
        title: 'Inner',
        text: 'Review the policy annually.',
        guidance: 'Why.\n\nMore.',
        groupId: null,
        groupTitle: 'Inner without id',
        parentRef: null,
        sortOrder: 1,
      },
    ]);
  });
});

describe('parseOscalProfile with bad input', () => {
  const profileText = (imports: unknown[]) =>
    JSON.stringify({
      profile: {
        uuid: 'x',
        metadata: { title: 'P', version: '1', 'oscal-version': '1.1.2' },
        imports,
      },
    });

  it('refuses selections it cannot apply faithfully', () => {
    const matching = profileText([
      { href: '#c', 'include-controls': [{ matching: [{ pattern: 'ac-*' }] }] },
    ]);
    expect(errorOf(() => parseOscalProfile(matching)).where).toEqual({
      path: 'profile.imports[0].include-controls[0].matching',
    });
    const children = profileText([
      { href: '#c', 'include-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'yes' }] },
    ]);
    expect(errorOf(() => parseOscalProfile(children)).message).toMatch(/with-child-controls/);
    expect(errorOf(() => parseOscalProfile(profileText([{ href: '#c' }]))).message).toMatch(
      /neither "include-all" nor "include-controls"/,
    );
  });

  it('reads include-all with exclusions across imports', () => {
    const profile = parseOscalProfile(
      profileText([
        { href: 'a.json', 'include-all': {}, 'exclude-controls': [{ 'with-ids': ['a-1'] }] },
        { href: 'b.json', 'include-controls': [{ 'with-ids': ['b-1'] }, { 'with-ids': ['b-2'] }] },
      ]),
    );
    expect(profile.imports).toEqual([
      { href: 'a.json', includeAll: true, withIds: [], excludeIds: ['a-1'] },
      { href: 'b.json', includeAll: false, withIds: ['b-1', 'b-2'], excludeIds: [] },
    ]);
  });
});
