import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';
import {
  annexFramework,
  annexRequirements,
  annexSections,
  defaultControls,
  renderDefaultAnnex,
} from './annex-catalogue.ts';
import {
  referenceFrameworks,
  referenceItems,
  type ReferenceFramework,
} from './framework-references.ts';

const measuresPerSection = [4, 5, 4, 4, 4, 4, 4, 3, 3, 3, 3, 1, 3];
const frameworks: ReferenceFramework[] = ['soc2', 'iso27001', 'csf2'];

function itemsOf(framework: ReferenceFramework) {
  return referenceItems.filter((item) => item.framework === framework);
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

describe('reference catalogues', () => {
  it('describes each framework', () => {
    expect(Object.keys(referenceFrameworks).sort()).toEqual([...frameworks].sort());
  });

  it('has no duplicate identifiers within a framework', () => {
    for (const framework of frameworks) {
      expect(duplicates(itemsOf(framework).map((item) => item.id))).toEqual([]);
    }
  });

  it('holds the 61 SOC 2 criteria with AICPA numbering', () => {
    const ids = itemsOf('soc2').map((item) => item.id);
    expect(ids).toHaveLength(61);
    for (const id of ids) expect(id).toMatch(/^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9]$/);
    expect(ids).toContain('CC9.2');
    expect(ids).toContain('P6.7');
    expect(ids).not.toContain('CC8.2');
  });

  it('holds exactly the 93 ISO/IEC 27001:2022 Annex A controls', () => {
    const ids = itemsOf('iso27001').map((item) => item.id);
    const expected = [
      ...Array.from({ length: 37 }, (_, i) => `A.5.${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `A.6.${i + 1}`),
      ...Array.from({ length: 14 }, (_, i) => `A.7.${i + 1}`),
      ...Array.from({ length: 34 }, (_, i) => `A.8.${i + 1}`),
    ];
    expect(ids).toHaveLength(93);
    expect(ids).toEqual(expected);
  });

  it('holds the 106 NIST CSF 2.0 subcategories without withdrawn numbers', () => {
    const ids = itemsOf('csf2').map((item) => item.id);
    expect(ids).toHaveLength(106);
    for (const id of ids) expect(id).toMatch(/^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/);
    for (const withdrawn of ['ID.AM-06', 'PR.DS-03', 'DE.CM-04', 'RS.CO-01', 'RC.CO-01']) {
      expect(ids).not.toContain(withdrawn);
    }
  });

  it('keeps every title short', () => {
    for (const item of referenceItems) {
      expect(item.title.split(/\s+/).length, item.id).toBeLessThanOrEqual(10);
    }
  });
});

describe('annex catalogue', () => {
  it('identifies the built-in framework', () => {
    expect(annexFramework.key).toBe('steward-annex');
    expect(annexFramework.name).toBe('Security measures annex');
  });

  it('has 13 sections numbered in order', () => {
    expect(annexSections.map((section) => section.number)).toEqual(
      measuresPerSection.map((_, i) => i + 1),
    );
  });

  it('has 45 requirements numbered 1.1 to 13.3 in seed order', () => {
    const expected = measuresPerSection.flatMap((count, s) =>
      Array.from({ length: count }, (_, m) => `${s + 1}.${m + 1}`),
    );
    expect(annexRequirements).toHaveLength(45);
    expect(annexRequirements.map((requirement) => requirement.ref)).toEqual(expected);
    for (const requirement of annexRequirements) {
      expect(requirement.ref.split('.')[0]).toBe(String(requirement.section));
    }
  });

  it('maps every requirement to existing SOC 2, ISO and CSF items', () => {
    const known = new Set(referenceItems.map((item) => `${item.framework}:${item.id}`));
    for (const requirement of annexRequirements) {
      for (const reference of requirement.references) {
        expect(known.has(`${reference.framework}:${reference.id}`), reference.id).toBe(true);
      }
      for (const framework of frameworks) {
        expect(
          requirement.references.some((reference) => reference.framework === framework),
          `${requirement.ref} maps to ${framework}`,
        ).toBe(true);
      }
      const keys = requirement.references.map((r) => `${r.framework}:${r.id}`);
      expect(duplicates(keys), requirement.ref).toEqual([]);
    }
  });

  it('covers every requirement with at least one control', () => {
    const covered = new Set(defaultControls.flatMap((control) => control.requirementRefs));
    for (const requirement of annexRequirements) {
      expect(covered.has(requirement.ref), requirement.ref).toBe(true);
    }
  });

  it('links controls only to existing requirements', () => {
    const refs = new Set(annexRequirements.map((requirement) => requirement.ref));
    for (const control of defaultControls) {
      expect(control.requirementRefs.length, control.ref).toBeGreaterThan(0);
      for (const ref of control.requirementRefs) expect(refs.has(ref), control.ref).toBe(true);
      expect(control.requirementRefs.map((ref) => Number(ref.split('.')[0]))).toContain(
        control.section,
      );
    }
  });

  it('has unique control refs, task keys and check keys', () => {
    expect(duplicates(defaultControls.map((control) => control.ref))).toEqual([]);
    expect(duplicates(defaultControls.flatMap((c) => c.tasks.map((t) => t.key)))).toEqual([]);
    expect(duplicates(defaultControls.flatMap((c) => c.checks.map((k) => k.key)))).toEqual([]);
  });

  it('has between 40 and 50 controls, each with a task or a check', () => {
    expect(defaultControls.length).toBeGreaterThanOrEqual(40);
    expect(defaultControls.length).toBeLessThanOrEqual(50);
    for (const control of defaultControls) {
      expect(control.ref).toMatch(/^(GOV|AC|ENC|NET|SDL|VUL|LOG|IR|BCP|SUP|DAT|PHY|CUS)-\d{2}$/);
      expect(control.tasks.length + control.checks.length, control.ref).toBeGreaterThan(0);
    }
  });

  it('schedules tasks with a grace period shorter than their cadence', () => {
    for (const task of defaultControls.flatMap((control) => control.tasks)) {
      expect([1, 3, 6, 12], task.key).toContain(task.cadenceMonths);
      expect(task.graceDays, task.key).toBeGreaterThan(0);
      expect(task.graceDays, task.key).toBeLessThan(task.cadenceMonths * 30);
    }
  });

  it('renders the annex as Markdown with 13 headings and 45 bullets', () => {
    const markdown = renderDefaultAnnex();
    const headings = markdown.split('\n').filter((line) => line.startsWith('## '));
    const bullets = markdown.split('\n').filter((line) => line.startsWith('- '));
    expect(headings).toHaveLength(13);
    expect(headings[0]).toBe('## 1. Security governance');
    expect(bullets).toHaveLength(45);
    expect(bullets[0]).toBe(`- ${annexRequirements[0]?.text ?? ''}`);
  });
});

describe.skipIf(!hasSharedData('seed', 'security-measures-annex.txt'))('seed annex', () => {
  const seed = (() => {
    const path = sharedPath('seed', 'security-measures-annex.txt');
    const sections: { title: string; bullets: string[] }[] = [];
    for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
      const heading = /^(\d+)\)\s+(.+)$/.exec(line);
      if (heading) sections.push({ title: heading[2] ?? '', bullets: [] });
      const bullet = /^\s*•\s*(.+)$/.exec(line);
      if (bullet) sections.at(-1)?.bullets.push(bullet[1] ?? '');
    }
    return sections;
  })();

  it('has the same number of measures per section as our catalogue', () => {
    const ours = annexSections.map(
      (section) => annexRequirements.filter((r) => r.section === section.number).length,
    );
    expect(seed.map((section) => section.bullets.length)).toEqual(ours);
  });

  it('is paraphrased, never copied', () => {
    const normalise = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    const ours = annexRequirements.map((requirement) => normalise(requirement.text));
    for (const bullet of seed.flatMap((section) => section.bullets)) {
      for (const text of ours) expect(text).not.toContain(normalise(bullet));
    }
  });
});
