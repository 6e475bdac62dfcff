import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  normaliseResource,
  parseScimBoolean,
  projectResource,
  parseProjection,
} from './scim-document.ts';
import { applyPatch, parsePatchRequest } from './scim-patch.ts';
import { userResource } from './scim-schema.ts';

const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function patch(doc: Record<string, unknown>, operations: unknown[]) {
  return applyPatch(
    doc,
    parsePatchRequest({ schemas: [patchOp], Operations: operations }),
    userResource,
  );
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'none';
}

const base = {
  userName: 'u',
  emails: [
    { value: 'w@x.test', type: 'work', primary: true },
    { value: 'h@x.test', type: 'home' },
  ],
  name: { givenName: 'G', familyName: 'F' },
};

describe('parseScimBoolean', () => {
  it('takes booleans and "true"/"false" in any case, nothing else', () => {
    expect(parseScimBoolean(false, 'active')).toBe(false);
    expect(parseScimBoolean('False', 'active')).toBe(false);
    expect(parseScimBoolean('TRUE', 'active')).toBe(true);
    for (const bad of ['yes', 'f', 0, 1, '', {}, []]) {
      expect(codeOf(() => parseScimBoolean(bad, 'active'))).toBe('scim.invalid_value');
    }
  });
});

describe('parsePatchRequest', () => {
  it('lower-cases op, keeps path and value, refuses what is not a PatchOp', () => {
    expect(
      parsePatchRequest({
        schemas: [patchOp],
        Operations: [{ op: 'Replace', path: 'title', value: 'x' }],
      }),
    ).toMatchObject([{ op: 'replace', pathText: 'title', value: 'x' }]);
    expect(codeOf(() => parsePatchRequest({ Operations: [] }))).toBe('scim.invalid_syntax');
    expect(codeOf(() => parsePatchRequest({ Operations: [{ op: 'copy', value: 1 }] }))).toBe(
      'scim.invalid_syntax',
    );
    expect(codeOf(() => parsePatchRequest({ Operations: [{ op: 'add', path: 'title' }] }))).toBe(
      'scim.invalid_value',
    );
    expect(codeOf(() => parsePatchRequest({ Operations: [{ op: 'remove' }] }))).toBe(
      'scim.no_target',
    );
    expect(
      codeOf(() => parsePatchRequest({ Operations: [{ op: 'remove', path: 'emails[' }] })),
    ).toBe('scim.invalid_path');
    expect(
      codeOf(() =>
        parsePatchRequest({
          schemas: ['urn:other'],
          Operations: [{ op: 'remove', path: 'title' }],
        }),
      ),
    ).toBe('scim.invalid_value');
  });
});

describe('applyPatch', () => {
  it('adds to multi-valued attributes without duplicates; a new primary demotes the old one', () => {
    const doc = patch(base, [
      { op: 'add', path: 'emails', value: [{ value: 'n@x.test', type: 'other', Primary: true }] },
      { op: 'add', path: 'emails', value: { value: 'h@x.test', type: 'home' } },
    ]);
    expect(doc.emails).toEqual([
      { value: 'w@x.test', type: 'work', primary: false },
      { value: 'h@x.test', type: 'home' },
      { value: 'n@x.test', type: 'other', primary: true },
    ]);
  });

  it('replaces, adds and removes through value filters', () => {
    expect(
      patch(base, [{ op: 'replace', path: 'emails[type eq "WORK"].value', value: 'new@x.test' }])
        .emails,
    ).toEqual([
      { value: 'new@x.test', type: 'work', primary: true },
      { value: 'h@x.test', type: 'home' },
    ]);
    expect(patch(base, [{ op: 'remove', path: 'emails[type eq "home"]' }]).emails).toEqual([
      { value: 'w@x.test', type: 'work', primary: true },
    ]);
    expect(patch(base, [{ op: 'remove', path: 'emails[primary eq true].primary' }]).emails).toEqual(
      [
        { value: 'w@x.test', type: 'work' },
        { value: 'h@x.test', type: 'home' },
      ],
    );
    // No value matches an equality filter: the value is created (Entra's work email).
    expect(
      patch({ userName: 'u' }, [
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'a@x.test' },
      ]).emails,
    ).toEqual([{ type: 'work', value: 'a@x.test' }]);
    expect(
      codeOf(() => patch(base, [{ op: 'replace', path: 'emails[value co "zzz"]', value: {} }])),
    ).toBe('scim.no_target');
    // Removing what matches nothing changes nothing.
    expect(patch(base, [{ op: 'remove', path: 'emails[type eq "fax"]' }])).toEqual(base);
  });

  it('merges complex values and sets sub-attributes', () => {
    expect(patch(base, [{ op: 'replace', path: 'name', value: { givenName: 'N' } }]).name).toEqual({
      givenName: 'N',
      familyName: 'F',
    });
    expect(patch(base, [{ op: 'remove', path: 'name.familyName' }]).name).toEqual({
      givenName: 'G',
    });
  });

  it('takes path-less values whose keys are paths, and whole extensions', () => {
    const doc = patch(base, [
      {
        op: 'replace',
        value: {
          'name.givenName': 'P',
          [`${enterprise}:department`]: 'D',
          id: 'ignored',
          meta: {},
          active: 'False',
        },
      },
      { op: 'add', value: { [enterprise]: { costCenter: 'CC' } } },
    ]);
    expect(doc).toMatchObject({
      name: { givenName: 'P', familyName: 'F' },
      active: 'False',
      [enterprise]: { department: 'D', costCenter: 'CC' },
    });
    expect(doc.id).toBeUndefined();
    expect(patch(doc, [{ op: 'remove', path: enterprise }])[enterprise]).toBeUndefined();
    expect(codeOf(() => patch(base, [{ op: 'replace', value: { nickname2: 'x' } }]))).toBe(
      'scim.invalid_syntax',
    );
  });

  it('refuses read-only targets, unknown attributes and filters on single values', () => {
    expect(codeOf(() => patch(base, [{ op: 'replace', path: 'meta.created', value: 'x' }]))).toBe(
      'scim.mutability',
    );
    expect(codeOf(() => patch(base, [{ op: 'add', path: 'groups', value: [] }]))).toBe(
      'scim.mutability',
    );
    expect(codeOf(() => patch(base, [{ op: 'add', path: 'nickname2', value: 'x' }]))).toBe(
      'scim.invalid_path',
    );
    expect(
      codeOf(() => patch(base, [{ op: 'add', path: 'title[value eq "x"]', value: 'x' }])),
    ).toBe('scim.invalid_path');
    expect(codeOf(() => patch(base, [{ op: 'add', path: 'emails.value', value: 'x' }]))).toBe(
      'scim.invalid_path',
    );
  });

  it('leaves validation of the result to normaliseResource', () => {
    const doc = patch(base, [{ op: 'replace', path: 'active', value: 'maybe' }]);
    expect(codeOf(() => normaliseResource(userResource, doc))).toBe('scim.invalid_value');
    const removed = patch(base, [{ op: 'remove', path: 'userName' }]);
    expect(codeOf(() => normaliseResource(userResource, removed))).toBe('scim.invalid_value');
  });
});

describe('normaliseResource and projectResource', () => {
  it('canonicalises names case-insensitively and drops read-only and unassigned values', () => {
    const { doc, extensions } = normaliseResource(userResource, {
      Schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      USERNAME: 'u',
      id: 'x',
      meta: {},
      password: 'never kept',
      Emails: [{ Value: 'a@b.c', Primary: 'True' }],
      name: { honorificPrefix: null, givenName: '' },
      [enterprise.toUpperCase()]: { Manager: { Value: 'm', displayName: 'ignored' } },
    });
    expect(doc).toEqual({
      userName: 'u',
      emails: [{ value: 'a@b.c', primary: true }],
      [enterprise]: { manager: { value: 'm' } },
    });
    expect([...extensions]).toEqual([enterprise]);
  });

  it('projects attributes and sub-attributes, keeping id and schemas', () => {
    const full = {
      schemas: ['s'],
      id: '1',
      userName: 'u',
      name: { givenName: 'G', familyName: 'F' },
      emails: [{ value: 'a', type: 'work' }],
    };
    expect(
      projectResource(
        full,
        parseProjection({ attributes: 'name.familyName,emails.type' }),
        userResource,
      ),
    ).toEqual({
      schemas: ['s'],
      id: '1',
      name: { familyName: 'F' },
      emails: [{ type: 'work' }],
    });
    expect(
      projectResource(
        full,
        parseProjection({ excludedAttributes: 'id,name,emails' }),
        userResource,
      ),
    ).toEqual({
      schemas: ['s'],
      id: '1',
      userName: 'u',
    });
  });
});
