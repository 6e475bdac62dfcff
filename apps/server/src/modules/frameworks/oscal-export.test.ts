import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateOscal, type OscalModel } from '../../../test/oscal-schema.ts';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';
import { OscalError } from './oscal-catalog.ts';
import {
  buildAssessmentResults,
  buildComponentDefinition,
  buildPoam,
  buildSystemSecurityPlan,
  OSCAL_EXPORT_VERSION,
  type ExportControl,
  type ExportInput,
} from './oscal-export.ts';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
const SHA_POLICY = 'a3f5c1d2e4b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b';

const sharedEvidence = {
  id: '0b8f3c52-6a7e-4d1b-9c2f-5e4a3b2c1d0e',
  title: 'Information security policy v3 (signed)',
  href: 'https://files.example.test/policies/infosec policy v3.pdf',
  sha256: SHA_POLICY.toUpperCase(),
  collectedAt: '2025-01-15T09:30:00Z',
  effectiveFrom: '2025-01-15',
  effectiveTo: '2026-01-15',
};

const nist = (ref: string, title: string) => ({
  frameworkKey: 'nist-800-53-moderate',
  frameworkName: 'NIST SP 800-53 Rev. 5 MODERATE',
  ref,
  title,
});

const iso = (ref: string, title: string) => ({
  frameworkKey: 'iso27001-2022',
  frameworkName: 'ISO/IEC 27001:2022',
  ref,
  title,
});

const controls: ExportControl[] = [
  {
    id: '6d1f0c8e-2b3a-4c5d-8e9f-0a1b2c3d4e5f',
    ref: 'IAM-02',
    title: 'Multi-factor authentication for staff',
    description: 'Every staff account signs in with a passkey or TOTP as a second factor.',
    section: 2,
    implementationStatus: 'partial',
    status: 'failing',
    statusReason: 'The check mfa.enforced failed: 3 accounts have no second factor.',
    owner: { name: 'Ada Lovelace', email: 'ada@example.test' },
    requirements: [
      nist('ia-2.1', 'Multi-factor Authentication to Privileged Accounts'),
      iso('A.8.5', 'Secure authentication'),
    ],
    evidence: [
      {
        id: '1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5',
        title: 'IdP MFA enrolment export',
        href: null,
        sha256: 'b'.repeat(64),
        collectedAt: '2025-05-30T08:00:00+02:00',
        effectiveFrom: '2025-05-30',
        effectiveTo: '2025-08-30',
      },
    ],
    checks: [
      {
        key: 'mfa.enforced',
        name: 'MFA enforced for every staff account',
        lastStatus: 'fail',
        lastObservedAt: '2025-06-01T06:00:00Z',
      },
      {
        key: 'mfa.admins',
        name: 'Admins use phishing-resistant MFA',
        lastStatus: 'pass',
        lastObservedAt: '2025-06-01T06:00:00Z',
      },
    ],
  },
  {
    id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d',
    ref: 'GOV-01',
    title: 'Information security policy',
    description: 'A policy approved by the CEO sets the goals and rules of the security program.',
    section: 1,
    implementationStatus: 'implemented',
    status: 'passing',
    statusReason: '',
    owner: { name: 'Grace Hopper', email: 'Grace@Example.test' },
    requirements: [
      nist('pl-1', 'Policy and Procedures'),
      iso('5.2', 'Information security policy'),
    ],
    evidence: [sharedEvidence],
    checks: [
      {
        key: 'policy.published',
        name: 'Policy published on the intranet',
        lastStatus: 'pass',
        lastObservedAt: '2025-06-01T05:00:00Z',
      },
    ],
  },
  {
    id: '8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b',
    ref: 'VUL-03',
    title: 'Vulnerability scanning',
    description:
      'Production images are scanned daily.\n\nCritical findings are fixed within 7 days.',
    section: 3,
    implementationStatus: 'implemented',
    status: 'due',
    statusReason: 'The quarterly review of scan exceptions is overdue.',
    owner: { name: 'Ada Lovelace', email: 'ada@example.test' },
    requirements: [nist('ra-5', 'Vulnerability Monitoring and Scanning')],
    evidence: [sharedEvidence],
    checks: [
      { key: 'scan.daily', name: 'Daily image scan ran', lastStatus: null, lastObservedAt: null },
    ],
  },
  {
    id: '9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
    ref: 'LOG-04',
    title: 'Central logging',
    description: '',
    section: null,
    implementationStatus: 'planned',
    status: 'not_proved',
    statusReason: '',
    owner: null,
    requirements: [],
    evidence: [],
    checks: [],
  },
  {
    id: 'a0b1c2d3-e4f5-4a6b-9c7d-8e9f0a1b2c3d',
    ref: 'ENC-05',
    title: 'Encryption at rest',
    description: 'Databases and backups are encrypted with AES-256.',
    section: 3,
    implementationStatus: 'implemented',
    status: 'failing',
    statusReason: '',
    owner: { name: 'Grace Hopper', email: 'grace@example.test' },
    requirements: [nist('sc-28', 'Protection of Information at Rest')],
    evidence: [],
    checks: [
      {
        key: 'kms.rds',
        name: 'RDS storage encrypted',
        lastStatus: 'fail',
        lastObservedAt: '2025-06-01T04:00:00.000Z',
      },
      { key: 'kms.s3', name: 'S3 buckets encrypted', lastStatus: null, lastObservedAt: null },
    ],
  },
];

const input: ExportInput = {
  orgId: '5b7e2a90-1c3d-4e6f-8a9b-0c1d2e3f4a5b',
  orgName: 'Acme Cloud Ltd',
  systemName: 'Acme Billing',
  generatedAt: new Date('2025-06-02T10:00:00Z'),
  stewardVersion: '0.1.0',
  controls,
};

type Doc = Record<string, unknown>;

function root(doc: object, model: string): Doc {
  return (doc as Record<string, Doc>)[model] as Doc;
}

/** Every value under `key` anywhere in the document. */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    ...(k === key ? [v] : []),
    ...valuesOf(v, key),
  ]);
}

describe.skipIf(!hasSharedData('data', 'oscal'))('the schema validator', () => {
  const examples: [OscalModel, string][] = [
    ['component-definition', 'example-component-definition.json'],
    ['system-security-plan', 'ssp-example.json'],
    ['assessment-results', 'ifa_assessment-results-example.json'],
    ['plan-of-action-and-milestones', 'ifa_plan-of-action-and-milestones.json'],
    ['catalog', 'NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json'],
    ['profile', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'],
  ];

  it.each(examples)('accepts the NIST example %s (declared 1.1.2)', (model, file) => {
    const doc = JSON.parse(readFileSync(sharedPath('data', 'oscal', file), 'utf8')) as unknown;
    expect(valuesOf(doc, 'oscal-version')).toEqual(['1.1.2']);
    expect(validateOscal(model, doc)).toEqual([]);
  });

  it('rejects a broken document', () => {
    const doc = JSON.parse(
      readFileSync(sharedPath('data', 'oscal', 'example-component-definition.json'), 'utf8'),
    ) as { 'component-definition': Doc & { metadata: Doc } };
    doc['component-definition'].uuid = 'not-a-uuid';
    delete doc['component-definition'].metadata['last-modified'];
    const errors = validateOscal('component-definition', doc);
    expect(
      errors.some((error) => error.startsWith('/component-definition/uuid must match pattern')),
    ).toBe(true);
    expect(
      errors.some((error) => error.includes("must have required property 'last-modified'")),
    ).toBe(true);
  });
});

describe.skipIf(!hasSharedData('data', 'oscal'))('OSCAL exports', () => {
  const documents: [OscalModel, (value: ExportInput) => object][] = [
    ['component-definition', buildComponentDefinition],
    ['system-security-plan', buildSystemSecurityPlan],
    ['assessment-results', buildAssessmentResults],
    ['plan-of-action-and-milestones', buildPoam],
  ];

  it.each(documents)('builds a %s valid against the OSCAL 1.0.6 schema', (model, build) => {
    const doc = build(input);
    expect(validateOscal(model, doc)).toEqual([]);
    expect(root(doc, model).metadata).toMatchObject({
      'last-modified': '2025-06-02T10:00:00.000Z',
      'oscal-version': OSCAL_EXPORT_VERSION,
    });
  });

  it.each(documents)('gives %s stable name-based UUIDs', (model, build) => {
    const doc = build(input);
    const uuids = valuesOf(doc, 'uuid') as string[];
    for (const uuid of uuids) expect(uuid).toMatch(UUID_V5);
    expect(JSON.stringify(build({ ...input, controls: [...controls].reverse() }))).toBe(
      JSON.stringify(doc),
    );
    const otherOrg = JSON.stringify(build({ ...input, orgId: 'another-org' }));
    for (const uuid of uuids) expect(otherOrg).not.toContain(uuid);
  });

  it('keeps the document UUID when only the export time changes, and changes it with the content', () => {
    const first = root(buildSystemSecurityPlan(input), 'system-security-plan');
    const later = root(
      buildSystemSecurityPlan({ ...input, generatedAt: new Date('2025-07-01T00:00:00Z') }),
      'system-security-plan',
    );
    expect(later.uuid).toBe(first.uuid);
    const changed = root(
      buildSystemSecurityPlan({ ...input, controls: controls.slice(1) }),
      'system-security-plan',
    );
    expect(changed.uuid).not.toBe(first.uuid);
  });

  it('writes the SSP: system, owners, components and every control', () => {
    const ssp = root(buildSystemSecurityPlan(input), 'system-security-plan');
    const requirements = (ssp['control-implementation'] as Doc)[
      'implemented-requirements'
    ] as Doc[];
    expect(requirements.map((r) => r['control-id'])).toEqual([
      'gov-01',
      'iam-02',
      'enc-05',
      'vul-03',
      'log-04',
    ]);
    for (const id of valuesOf(ssp, 'control-id')) expect(id).toMatch(TOKEN);
    const components = (ssp['system-implementation'] as Doc).components as Doc[];
    expect(components.map((c) => [c.type, c.title])).toEqual([
      ['this-system', 'Acme Billing'],
      ['software', 'Steward'],
    ]);
    const parties = (ssp.metadata as Doc).parties as Doc[];
    expect(parties.map((p) => [p.type, p.name])).toEqual([
      ['organization', 'Acme Cloud Ltd'],
      ['person', 'Grace Hopper'],
      ['person', 'Ada Lovelace'],
    ]);
    const iam = requirements[1] as Doc;
    const byComponents = iam['by-components'] as Doc[];
    expect(byComponents[0]).toMatchObject({
      'component-uuid': components[0]?.uuid,
      'implementation-status': { state: 'partial' },
    });
    expect(byComponents[1]?.description).toContain(
      '* Admins use phishing-resistant MFA (`mfa.admins`): passed on 2025-06-01T06:00:00.000Z',
    );
    expect(iam['responsible-roles']).toEqual([
      { 'role-id': 'control-owner', 'party-uuids': [parties[2]?.uuid] },
    ]);
    expect(iam.props).toContainEqual({
      name: 'framework-requirement',
      ns: 'https://steward.dev/ns/oscal',
      value: 'ia-2.1',
      class: 'nist-800-53-moderate',
    });
    expect(requirements[4]?.['responsible-roles']).toBeUndefined();
    const importProfile = (ssp['import-profile'] as Doc).href as string;
    const resources = (ssp['back-matter'] as Doc).resources as Doc[];
    expect(resources.map((r) => `#${String(r.uuid)}`)).toContain(importProfile);
  });

  it('lists each piece of evidence once in the back matter, with its link and SHA-256', () => {
    const ssp = root(buildSystemSecurityPlan(input), 'system-security-plan');
    const resources = (ssp['back-matter'] as Doc).resources as Doc[];
    expect(resources).toHaveLength(3);
    expect(resources[1]).toMatchObject({
      title: 'Information security policy v3 (signed)',
      rlinks: [
        {
          href: 'https://files.example.test/policies/infosec%20policy%20v3.pdf',
          hashes: [{ algorithm: 'SHA-256', value: SHA_POLICY }],
        },
      ],
    });
    expect(resources[2]?.rlinks).toBeUndefined();
    expect(resources[2]?.props).toContainEqual({
      name: 'sha256',
      ns: 'https://steward.dev/ns/oscal',
      value: 'b'.repeat(64),
    });
    const links = valuesOf(ssp, 'links').flat() as Doc[];
    expect(links.filter((link) => link.rel === 'evidence')).toHaveLength(3);
  });

  it('maps the controls onto each framework in the component definition', () => {
    const cd = root(buildComponentDefinition(input), 'component-definition');
    const component = (cd.components as Doc[])[0] as Doc;
    const implementations = component['control-implementations'] as Doc[];
    expect(implementations).toHaveLength(3);
    const [steward, nistImplementation, isoImplementation] = implementations as [Doc, Doc, Doc];
    expect((steward['implemented-requirements'] as Doc[]).map((r) => r['control-id'])).toHaveLength(
      5,
    );
    expect(
      (nistImplementation['implemented-requirements'] as Doc[]).map((r) => r['control-id']),
    ).toEqual(['ia-2.1', 'pl-1', 'ra-5', 'sc-28']);
    // '5.2' is no OSCAL token, so only A.8.5 is mapped; 5.2 stays a prop of GOV-01.
    expect(
      (isoImplementation['implemented-requirements'] as Doc[]).map((r) => r['control-id']),
    ).toEqual(['A.8.5']);
    expect((nistImplementation['implemented-requirements'] as Doc[])[0]?.description).toBe(
      'Met by IAM-02 Multi-factor authentication for staff (partial, failing).',
    );
    const resources = (cd['back-matter'] as Doc).resources as Doc[];
    expect(resources.map((r) => `#${String(r.uuid)}`)).toEqual(
      expect.arrayContaining(implementations.map((i) => i.source)),
    );
  });

  it('records observations from checks and evidence, and findings for controls not passing', () => {
    const ar = root(buildAssessmentResults(input), 'assessment-results');
    const result = (ar.results as Doc[])[0] as Doc;
    const observations = result.observations as Doc[];
    // Checks that ran: IAM-02 2, GOV-01 1, ENC-05 1; evidence links: IAM-02 1, GOV-01 1, VUL-03 1.
    expect(observations).toHaveLength(7);
    expect(observations.filter((o) => (o.methods as string[])[0] === 'TEST')).toHaveLength(4);
    expect(result.start).toBe('2025-01-15T09:30:00.000Z');
    expect(result.end).toBe('2025-06-02T10:00:00.000Z');
    const findings = result.findings as Doc[];
    expect(findings.map((f) => f.title)).toEqual([
      'IAM-02 Multi-factor authentication for staff is failing',
      'ENC-05 Encryption at rest is failing',
      'VUL-03 Vulnerability scanning is due for evidence or review',
      'LOG-04 Central logging is not proved',
    ]);
    expect(findings[0]?.target).toMatchObject({
      type: 'statement-id',
      'target-id': 'iam-02_smt',
      status: { state: 'not-satisfied', reason: 'fail' },
    });
    expect(findings[0]?.['related-observations']).toHaveLength(3);
    expect(findings[3]?.['related-observations']).toBeUndefined();
    const ssp = root(buildSystemSecurityPlan(input), 'system-security-plan');
    const sspUuids = valuesOf(ssp, 'uuid');
    expect(sspUuids).toContain(findings[0]?.['implementation-statement-uuid']);
  });

  it('puts one POA&M item per failing control', () => {
    const poam = root(buildPoam(input), 'plan-of-action-and-milestones');
    const items = poam['poam-items'] as Doc[];
    expect(items.map((item) => item.title)).toEqual([
      'IAM-02 Multi-factor authentication for staff',
      'ENC-05 Encryption at rest',
    ]);
    expect(items[0]?.remarks).toBe('Control owner: Ada Lovelace <ada@example.test>.');
    expect(poam.risks).toHaveLength(2);
    expect(poam.observations).toHaveLength(4);
    const observationUuids = (poam.observations as Doc[]).map((o) => o.uuid);
    expect(
      valuesOf(items, 'observation-uuid').every((uuid) => observationUuids.includes(uuid)),
    ).toBe(true);
    expect(((poam['back-matter'] as Doc).resources as Doc[]).map((r) => r.title)).toEqual([
      'Acme Billing: system security plan',
      'IdP MFA enrolment export',
    ]);
  });

  it('refuses a POA&M without failing controls', () => {
    expect(() =>
      buildPoam({ ...input, controls: controls.filter((c) => c.status !== 'failing') }),
    ).toThrow(OscalError);
  });

  it('builds what OSCAL allows for a program without controls', () => {
    const empty = { ...input, controls: [] };
    expect(validateOscal('component-definition', buildComponentDefinition(empty))).toEqual([]);
    expect(() => buildSystemSecurityPlan(empty)).toThrow(OscalError);
    expect(validateOscal('assessment-results', buildAssessmentResults(empty))).toEqual([]);
  });
});
