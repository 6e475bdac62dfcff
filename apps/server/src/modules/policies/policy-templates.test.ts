import { describe, expect, it } from 'vitest';
import { annexRequirements, defaultControls } from '../frameworks/annex-catalogue.ts';
import { companyPlaceholder, policyTemplates, type PolicyTemplate } from './policy-templates.ts';

const requiredSubjects = [
  'information_security',
  'acceptable_use',
  'access_control',
  'encryption_key_management',
  'secure_development_change',
  'vulnerability_management',
  'logging_monitoring',
  'incident_response',
  'business_continuity_dr',
  'vendor_subprocessor_management',
  'data_retention_handling',
  'background_screening',
];

const requiredHeadings = [
  'Purpose',
  'Scope',
  'Roles and responsibilities',
  'Policy',
  'Exceptions',
  'Enforcement',
  'Review',
  'Related controls',
];

function template(key: string): PolicyTemplate {
  const found = policyTemplates.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no template ${key}`);
  return found;
}

/** The lines of the body between "## name" and the next "## " heading. */
function section(body: string, name: string): string[] {
  const lines = body.split('\n');
  const start = lines.indexOf(`## ${name}`);
  if (start === -1) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith('## '));
  return end === -1 ? rest : rest.slice(0, end);
}

/** Numbers of the top-level numbered items in a list of lines, in order. */
function numberedItems(lines: string[]): number[] {
  return lines.flatMap((line) => {
    const match = /^(\d+)\. \S/.exec(line);
    return match ? [Number(match[1])] : [];
  });
}

describe('policy templates', () => {
  it('has at least 12 templates with unique keys covering the required subjects', () => {
    expect(policyTemplates.length).toBeGreaterThanOrEqual(12);
    const keys = policyTemplates.map((candidate) => candidate.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const subject of requiredSubjects) expect(keys).toContain(subject);
    const titles = policyTemplates.map((candidate) => candidate.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('has non-empty metadata, a yearly or shorter review and a known audience', () => {
    for (const policy of policyTemplates) {
      expect(policy.key, policy.key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(policy.title.trim().length, policy.key).toBeGreaterThan(0);
      expect(policy.summary.length, policy.key).toBeGreaterThan(40);
      expect(policy.reviewCadenceMonths, policy.key).toBeGreaterThanOrEqual(1);
      expect(policy.reviewCadenceMonths, policy.key).toBeLessThanOrEqual(12);
      expect(['everyone', 'engineering', 'people_managers', 'security_team']).toContain(
        policy.audience,
      );
    }
  });

  it('links only to existing default controls, without duplicates', () => {
    const known = new Set(defaultControls.map((control) => control.ref));
    for (const policy of policyTemplates) {
      expect(policy.controlRefs.length, policy.key).toBeGreaterThan(0);
      expect(new Set(policy.controlRefs).size, policy.key).toBe(policy.controlRefs.length);
      for (const ref of policy.controlRefs)
        expect(known.has(ref), `${policy.key} ${ref}`).toBe(true);
    }
  });

  it('ties every template to annex sections 1 to 13, and covers every section', () => {
    for (const policy of policyTemplates) {
      expect(policy.annexSections.length, policy.key).toBeGreaterThan(0);
      for (const number of policy.annexSections) {
        expect(Number.isInteger(number), policy.key).toBe(true);
        expect(number, policy.key).toBeGreaterThanOrEqual(1);
        expect(number, policy.key).toBeLessThanOrEqual(13);
      }
    }
    const covered = new Set(policyTemplates.flatMap((policy) => policy.annexSections));
    for (let number = 1; number <= 13; number++)
      expect(covered.has(number), `${number}`).toBe(true);
  });

  it('shares an annex section with each linked control or the requirements it proves', () => {
    const sectionsOf = new Map(
      defaultControls.map((control) => [
        control.ref,
        [control.section, ...control.requirementRefs.map((ref) => Number(ref.split('.')[0]))],
      ]),
    );
    for (const policy of policyTemplates) {
      for (const ref of policy.controlRefs) {
        const shared = (sectionsOf.get(ref) ?? []).filter((n) => policy.annexSections.includes(n));
        expect(shared.length, `${policy.key} ${ref}`).toBeGreaterThan(0);
      }
    }
  });

  it('starts each body with its title and contains every required heading once', () => {
    for (const policy of policyTemplates) {
      expect(policy.body.startsWith(`# ${policy.title}\n`), policy.key).toBe(true);
      const headings = policy.body.split('\n').filter((line) => line.startsWith('## '));
      for (const heading of requiredHeadings) {
        expect(
          headings.filter((line) => line === `## ${heading}`),
          `${policy.key}: ${heading}`,
        ).toHaveLength(1);
      }
      const order = requiredHeadings.map((heading) => headings.indexOf(`## ${heading}`));
      expect(order, policy.key).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('uses only level-one and level-two headings, with a single title', () => {
    for (const policy of policyTemplates) {
      const lines = policy.body.split('\n');
      expect(
        lines.filter((line) => line.startsWith('# ')),
        policy.key,
      ).toHaveLength(1);
      expect(
        lines.filter((line) => /^#{3,}/.test(line)),
        policy.key,
      ).toEqual([]);
    }
  });

  it('numbers policy statements consecutively from 1', () => {
    for (const policy of policyTemplates) {
      const numbers = numberedItems(section(policy.body, 'Policy'));
      expect(numbers.length, policy.key).toBeGreaterThanOrEqual(8);
      expect(numbers, policy.key).toEqual(numbers.map((_, index) => index + 1));
      expect(numberedItems(section(policy.body, 'Exceptions')).length, policy.key).toBeGreaterThan(
        0,
      );
    }
  });

  it('names an owner and an approver in the review section and reviews at least yearly', () => {
    for (const policy of policyTemplates) {
      const review = section(policy.body, 'Review').join('\n');
      expect(review, policy.key).toMatch(/Owner: \S/);
      expect(review, policy.key).toMatch(/Approver: \S/);
      expect(review, policy.key).toMatch(/at least every 12 months/);
    }
  });

  it('requires exceptions to have an approver and an expiry', () => {
    for (const policy of policyTemplates) {
      const exceptions = section(policy.body, 'Exceptions').join('\n');
      expect(exceptions, policy.key).toMatch(/approve/i);
      expect(exceptions, policy.key).toMatch(/expir|at most \d+ months|lasts? at most/i);
    }
  });

  it('lists exactly its linked controls under Related controls', () => {
    const titleOf = new Map(defaultControls.map((control) => [control.ref, control.title]));
    for (const policy of policyTemplates) {
      const items = section(policy.body, 'Related controls').filter((line) =>
        line.startsWith('- '),
      );
      expect(
        items.map((line) => line.slice(2).split(' ')[0]),
        policy.key,
      ).toEqual(policy.controlRefs);
      for (const ref of policy.controlRefs) {
        expect(items, policy.key).toContain(`- ${ref} ${titleOf.get(ref) ?? ''}`);
      }
    }
  });

  it('uses the company placeholder and no other placeholder', () => {
    for (const policy of policyTemplates) {
      expect(policy.body, policy.key).toContain(companyPlaceholder);
      const placeholders = policy.body.match(/\{\{[^}]*\}\}/g) ?? [];
      expect(new Set(placeholders), policy.key).toEqual(new Set([companyPlaceholder]));
      expect(policy.title + policy.summary, policy.key).not.toMatch(/\{\{/);
    }
  });

  it('contains no raw HTML, no script links and no unfinished text', () => {
    for (const policy of policyTemplates) {
      const text = `${policy.title}\n${policy.summary}\n${policy.body}`;
      expect(text, policy.key).not.toMatch(/<[a-z!/?]/i);
      expect(text, policy.key).not.toMatch(/javascript:/i);
      expect(text, policy.key).not.toMatch(/\b(TODO|TBD|lorem ipsum)\b|\[insert/i);
      expect(text, policy.key).not.toMatch(/\$\{/);
    }
  });

  it('states the remediation deadlines of the annex in the vulnerability management policy', () => {
    const body = template('vulnerability_management').body;
    expect(body).toMatch(/^ {3}- Critical: 7 calendar days$/m);
    expect(body).toMatch(/^ {3}- High: 30 calendar days$/m);
    expect(body).toMatch(/^ {3}- Medium: 90 calendar days$/m);
    expect(body).toMatch(/^ {3}- Low: 180 calendar days$/m);
    const requirement = annexRequirements.find((candidate) => candidate.ref === '6.2');
    expect(requirement?.text).toContain(
      '7 days for critical, 30 for high, 90 for medium and 180 for low',
    );
    const control = defaultControls.find((candidate) => candidate.ref === 'VUL-02');
    expect(control?.description).toContain(
      '7 days for critical, 30 for high, 90 for medium, 180 for low',
    );
  });

  it('agrees with the other figures of the annex catalogue', () => {
    const expectations: [string, RegExp[]][] = [
      ['information_security', [/at least every six months/, /within 30 days of their start date/]],
      [
        'access_control',
        [
          /within one business day \(24 hours\)/,
          /within 5 business days of the change/,
          /Every quarter, system owners review/,
          /expires automatically within 24 hours/,
          /phishing-resistant factors/,
        ],
      ],
      [
        'encryption_key_management',
        [
          /TLS 1\.2 or TLS 1\.3/,
          /AES-256/,
          /rotation period of at most 12 months/,
          /every 90 days/,
        ],
      ],
      [
        'logging_monitoring',
        [/retained for at least 12 months/, /most recent 90 days are immediately searchable/],
      ],
      ['incident_response', [/within 10 business days of recovery/, /every 12 months/]],
      [
        'business_continuity_dr',
        [/Every month a recent backup/, /no successful backup in the last 24 hours/],
      ],
      ['vendor_subprocessor_management', [/at least 30 days after a change notice/]],
      ['acceptable_use', [/at most 10 minutes of inactivity/, /no older than 30 days/]],
      ['secure_development_change', [/within 5 business days/, /someone other than the author/]],
      ['background_screening', [/Every quarter the People team confirms/]],
    ];
    for (const [key, patterns] of expectations) {
      for (const pattern of patterns)
        expect(template(key).body, `${key} ${pattern}`).toMatch(pattern);
    }
  });
});
