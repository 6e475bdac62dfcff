import type { ScreeningApplicability, ScreeningStatus } from '@steward/contracts';

/** A role that requires screening; every criterion given must match. */
export interface RoleRule {
  department?: string | undefined;
  titleContains?: string | undefined;
  employmentType?: string | undefined;
}

/** The org's screening rules. */
export interface ScreeningRules {
  isRequiredForEveryone: boolean;
  roleRules: readonly RoleRule[];
  restrictedCountries: readonly { country: string; reason: string }[];
}

/** What decides applicability for one person. */
export interface ApplicabilityInput {
  department: string | null;
  title: string | null;
  employmentType: string | null;
  country: string | null;
  override: 'applies' | 'not_required' | null;
  overrideReason: string;
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Whether a role rule covers the person. */
export function matchesRule(rule: RoleRule, person: ApplicabilityInput): boolean {
  if (
    rule.department !== undefined &&
    !(person.department && same(rule.department, person.department))
  ) {
    return false;
  }
  if (
    rule.titleContains !== undefined &&
    !(person.title && person.title.toLowerCase().includes(rule.titleContains.trim().toLowerCase()))
  ) {
    return false;
  }
  if (rule.employmentType !== undefined && person.employmentType !== rule.employmentType) {
    return false;
  }
  return (
    rule.department !== undefined ||
    rule.titleContains !== undefined ||
    rule.employmentType !== undefined
  );
}

function describeRule(rule: RoleRule): string {
  const parts = [
    ...(rule.department === undefined ? [] : [`department ${rule.department}`]),
    ...(rule.titleContains === undefined ? [] : [`title containing "${rule.titleContains}"`]),
    ...(rule.employmentType === undefined ? [] : [`employment type ${rule.employmentType}`]),
  ];
  return parts.join(', ');
}

/**
 * Whether screening applies to a person, and why. The law comes first: in a country that does
 * not permit screening it is not permitted whatever the role. Then HR's recorded decision for the
 * person, then the rules (everyone, or a matching role).
 */
export function decideApplicability(
  rules: ScreeningRules,
  person: ApplicabilityInput,
): { applicability: ScreeningApplicability; reason: string } {
  const restricted =
    person.country === null
      ? undefined
      : rules.restrictedCountries.find((c) => c.country === person.country);
  if (restricted) {
    return {
      applicability: 'not_permitted',
      reason: `Not permitted in ${restricted.country}: ${restricted.reason}`,
    };
  }
  if (person.override === 'applies') {
    return { applicability: 'applies', reason: `HR decision: ${person.overrideReason}` };
  }
  if (person.override === 'not_required') {
    return { applicability: 'not_required', reason: `HR decision: ${person.overrideReason}` };
  }
  if (rules.isRequiredForEveryone) {
    return { applicability: 'applies', reason: 'Required for everyone' };
  }
  const rule = rules.roleRules.find((r) => matchesRule(r, person));
  if (rule) return { applicability: 'applies', reason: `Required for ${describeRule(rule)}` };
  return { applicability: 'not_required', reason: 'No screening rule covers this role' };
}

/** Whether a person counts as covered: cleared where screening applies, or not applicable. */
export function isCovered(applicability: ScreeningApplicability, status: ScreeningStatus): boolean {
  return applicability !== 'applies' || status === 'cleared';
}

/** The first and last day of a quarter such as `2026-Q3`. */
export function quarterRange(quarter: string): { from: string; to: string } {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const startMonth = (q - 1) * 3;
  const from = new Date(Date.UTC(year, startMonth, 1));
  const to = new Date(Date.UTC(year, startMonth + 3, 0));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}
