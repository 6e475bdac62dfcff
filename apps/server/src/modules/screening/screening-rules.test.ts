import { describe, expect, it } from 'vitest';
import {
  decideApplicability,
  isCovered,
  matchesRule,
  quarterRange,
  type ApplicabilityInput,
  type ScreeningRules,
} from './screening-rules.ts';

const rules: ScreeningRules = {
  isRequiredForEveryone: false,
  roleRules: [
    { department: 'Engineering' },
    { titleContains: 'support', employmentType: 'employee' },
  ],
  restrictedCountries: [
    { country: 'DE', reason: 'Criminal record checks only where the role legally requires them' },
  ],
};

function person(overrides: Partial<ApplicabilityInput> = {}): ApplicabilityInput {
  return {
    department: null,
    title: null,
    employmentType: null,
    country: null,
    override: null,
    overrideReason: '',
    ...overrides,
  };
}

describe('decideApplicability', () => {
  it('applies to a matching department, case-insensitively', () => {
    expect(decideApplicability(rules, person({ department: 'engineering ' }))).toEqual({
      applicability: 'applies',
      reason: 'Required for department Engineering',
    });
  });

  it('needs every criterion of a rule to match', () => {
    expect(
      decideApplicability(
        rules,
        person({ title: 'Customer Support Lead', employmentType: 'employee' }),
      ).applicability,
    ).toBe('applies');
    expect(
      decideApplicability(
        rules,
        person({ title: 'Customer Support Lead', employmentType: 'contractor' }),
      ).applicability,
    ).toBe('not_required');
  });

  it('is not permitted where the law forbids it, whatever the role or HR decision', () => {
    const decision = decideApplicability(
      rules,
      person({
        department: 'Engineering',
        country: 'DE',
        override: 'applies',
        overrideReason: 'x',
      }),
    );
    expect(decision.applicability).toBe('not_permitted');
    expect(decision.reason).toBe(
      'Not permitted in DE: Criminal record checks only where the role legally requires them',
    );
  });

  it('follows a recorded HR decision over the role rules', () => {
    const decision = decideApplicability(
      rules,
      person({
        department: 'Engineering',
        override: 'not_required',
        overrideReason: 'No production access',
      }),
    );
    expect(decision).toEqual({
      applicability: 'not_required',
      reason: 'HR decision: No production access',
    });
  });

  it('applies to everyone when the org says so', () => {
    expect(
      decideApplicability({ ...rules, isRequiredForEveryone: true }, person()).applicability,
    ).toBe('applies');
  });

  it('is not required when no rule covers the role', () => {
    expect(decideApplicability(rules, person({ department: 'Sales' }))).toEqual({
      applicability: 'not_required',
      reason: 'No screening rule covers this role',
    });
  });

  it('never matches an empty rule', () => {
    expect(matchesRule({}, person({ department: 'Engineering' }))).toBe(false);
  });
});

describe('isCovered', () => {
  it('counts cleared people and people screening does not apply to', () => {
    expect(isCovered('applies', 'cleared')).toBe(true);
    expect(isCovered('applies', 'adverse')).toBe(false);
    expect(isCovered('applies', 'in_progress')).toBe(false);
    expect(isCovered('not_permitted', 'not_started')).toBe(true);
    expect(isCovered('not_required', 'not_started')).toBe(true);
  });
});

describe('quarterRange', () => {
  it('gives the first and last day of each quarter', () => {
    expect(quarterRange('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(quarterRange('2024-Q1').to).toBe('2024-03-31');
    expect(quarterRange('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });
});
