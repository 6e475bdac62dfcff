import { passwordLimits } from '@steward/contracts';
import { describe, expect, it } from 'vitest';
import { findPasswordProblem } from './password-policy.ts';

const good = 'violet-harbour-kettle-77';

describe('findPasswordProblem', () => {
  it('accepts a good passphrase, with and without context', () => {
    expect(findPasswordProblem(good, {})).toBeNull();
    expect(findPasswordProblem(good, { email: 'owner@acme.test', orgName: 'Acme' })).toBeNull();
  });

  it('enforces the length bounds', () => {
    expect(findPasswordProblem('x7#kq2!mzp9', {})).toBe(
      `Use at least ${passwordLimits.min} characters`,
    );
    expect(findPasswordProblem('x7#kq2!mzp9w', {})).toBeNull();
    expect(findPasswordProblem('k9'.repeat(passwordLimits.max / 2), {})).toBeNull();
    expect(findPasswordProblem(`${'k9'.repeat(passwordLimits.max / 2)}z`, {})).toBe(
      `Use at most ${passwordLimits.max} characters`,
    );
  });

  it('refuses common passwords whatever their case', () => {
    expect(findPasswordProblem('password1234', {})).toMatch(/too common/);
    expect(findPasswordProblem('PassWord1234', {})).toMatch(/too common/);
    expect(findPasswordProblem('CorrectHorseBatteryStaple', {})).toMatch(/too common/);
  });

  it('refuses a password holding the email or its local part', () => {
    const email = 'Marguerite@acme.test';
    expect(findPasswordProblem(`x-marguerite@acme.test-9`, { email })).toMatch(/email/);
    expect(findPasswordProblem(`MARGUERITE-kettle-77`, { email })).toMatch(/email/);
    expect(findPasswordProblem(`violet-harbour-kettle-77`, { email })).toBeNull();
  });

  it('ignores a local part too short to matter', () => {
    expect(findPasswordProblem('bobcat-harbour-kettle', { email: 'bob@acme.test' })).toBeNull();
    expect(findPasswordProblem('bob@acme.test-kettle', { email: 'bob@acme.test' })).toMatch(
      /email/,
    );
  });

  it('refuses a password holding the organisation name', () => {
    expect(findPasswordProblem('harbour-ACME-kettle', { orgName: ' Acme ' })).toMatch(
      /organisation name/,
    );
    expect(findPasswordProblem('harbour-ac-kettle-77', { orgName: 'AC' })).toBeNull();
  });
});
