import { describe, expect, it } from 'vitest';
import {
  buildSlaDaysTable,
  computeDueAt,
  computeSlaDays,
  defaultSlaRules,
  slaStatusOf,
} from './sla.ts';

const subject = {
  severity: 'high',
  environment: 'staging',
  criticality: 'medium',
  isKev: false,
} as const;

describe('computeSlaDays', () => {
  it('gives the severity days by default and no deadline for info', () => {
    expect(computeSlaDays(defaultSlaRules, subject)).toBe(30);
    expect(computeSlaDays(defaultSlaRules, { ...subject, severity: 'critical' })).toBe(7);
    expect(computeSlaDays(defaultSlaRules, { ...subject, severity: 'low' })).toBe(180);
    expect(computeSlaDays(defaultSlaRules, { ...subject, severity: 'info' })).toBeNull();
  });

  it('takes the shortest deadline that applies', () => {
    const rules = {
      ...defaultSlaRules,
      productionDays: { high: 14 },
      criticalAssetDays: { high: 10, info: 60 },
      kevDays: 3,
    };
    expect(computeSlaDays(rules, subject)).toBe(30);
    expect(computeSlaDays(rules, { ...subject, environment: 'production' })).toBe(14);
    expect(
      computeSlaDays(rules, { ...subject, environment: 'production', criticality: 'critical' }),
    ).toBe(10);
    expect(computeSlaDays(rules, { ...subject, isKev: true })).toBe(3);
    expect(computeSlaDays(rules, { ...subject, severity: 'info', criticality: 'critical' })).toBe(
      60,
    );
  });
});

describe('due dates and SLA status', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('counts whole days from the clock start', () => {
    expect(computeDueAt(new Date('2026-06-01T00:00:00Z'), 7)?.toISOString()).toBe(
      '2026-06-08T00:00:00.000Z',
    );
    expect(computeDueAt(now, null)).toBeNull();
  });

  it('says breached, due soon, within or none', () => {
    expect(slaStatusOf('open', new Date('2026-05-31T00:00:00Z'), now)).toBe('breached');
    expect(slaStatusOf('open', new Date('2026-06-05T00:00:00Z'), now)).toBe('due_soon');
    expect(slaStatusOf('open', new Date('2026-07-01T00:00:00Z'), now)).toBe('within');
    expect(slaStatusOf('open', null, now)).toBe('none');
    expect(slaStatusOf('fixed', new Date('2026-05-31T00:00:00Z'), now)).toBe('none');
  });

  it('tabulates every combination for set-based updates', () => {
    const table = buildSlaDaysTable(defaultSlaRules);
    expect(table).toHaveLength(3 * 4 * 5 * 2);
    expect(
      buildSlaDaysTable(defaultSlaRules, { environment: 'production', criticality: 'low' }),
    ).toHaveLength(10);
  });
});
