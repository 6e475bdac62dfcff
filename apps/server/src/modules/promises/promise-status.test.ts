import { describe, expect, it } from 'vitest';
import {
  classifyPromise,
  derivePromiseStatus,
  unmappedReason,
  type ConfirmedControl,
} from './promise-status.ts';

function control(
  ref: string,
  status: ConfirmedControl['status'],
  extra: Partial<ConfirmedControl> = {},
): ConfirmedControl {
  return {
    ref,
    title: `${ref} title`,
    status,
    statusReason: '',
    isArchived: false,
    implementationStatus: 'implemented',
    ...extra,
  };
}

describe('derivePromiseStatus', () => {
  it('flags a promise without confirmed controls as unmapped', () => {
    expect(derivePromiseStatus([])).toEqual({ status: 'unmapped', reason: unmappedReason });
  });

  it('leaves archived and not-applicable controls out, and says so', () => {
    const verdict = derivePromiseStatus([
      control('AC-01', 'passing', { isArchived: true }),
      control('AC-02', 'failing', { implementationStatus: 'not_applicable' }),
    ]);
    expect(verdict.status).toBe('unmapped');
    expect(verdict.reason).toBe(
      'No control is mapped to this promise (AC-01 AC-01 title is archived; ' +
        'AC-02 AC-02 title is marked not applicable)',
    );
    expect(
      derivePromiseStatus([
        control('AC-01', 'passing'),
        control('AC-02', 'failing', { isArchived: true }),
      ]).status,
    ).toBe('kept');
  });

  it('is broken when any control fails, naming each failing control and its reason', () => {
    const verdict = derivePromiseStatus([
      control('AC-01', 'passing'),
      control('AC-03', 'failing', {
        title: 'Enforced multi-factor authentication',
        statusReason: 'Check idp.mfa_enforced failed: 2 admins without MFA.',
      }),
      control('AC-04', 'due'),
      control('AC-05', 'failing', { title: 'Access reviews' }),
    ]);
    expect(verdict).toEqual({
      status: 'broken',
      reason:
        'AC-03 Enforced multi-factor authentication is failing: Check idp.mfa_enforced failed: ' +
        '2 admins without MFA; AC-05 Access reviews is failing',
    });
  });

  it('is at risk when none fails but one is due', () => {
    const verdict = derivePromiseStatus([
      control('AC-01', 'passing'),
      control('AC-04', 'due', { statusReason: 'Evidence for "Access review" ends on 2026-07-01' }),
      control('AC-06', 'not_proved'),
    ]);
    expect(verdict).toEqual({
      status: 'at_risk',
      reason: 'AC-04 AC-04 title is due: Evidence for "Access review" ends on 2026-07-01',
    });
  });

  it('is kept only when every counted control passes', () => {
    expect(derivePromiseStatus([control('AC-01', 'passing')])).toEqual({
      status: 'kept',
      reason: 'AC-01 AC-01 title is passing',
    });
    expect(
      derivePromiseStatus([
        control('AC-01', 'passing'),
        control('AC-02', 'passing'),
        control('AC-03', 'passing'),
      ]).reason,
    ).toBe('AC-01 AC-01 title, AC-02 AC-02 title and AC-03 AC-03 title are all passing');
  });

  it('is not yet proved when some pass and others have no proof', () => {
    expect(
      derivePromiseStatus([
        control('AC-01', 'passing'),
        control('AC-02', 'not_proved', { statusReason: 'No evidence yet' }),
      ]),
    ).toEqual({
      status: 'not_proved',
      reason: 'AC-02 AC-02 title is not proved yet: No evidence yet',
    });
  });
});

describe('classifyPromise', () => {
  it('applies the same order from counts alone', () => {
    expect(classifyPromise({ counted: 0, failing: 0, due: 0, passing: 0 })).toBe('unmapped');
    expect(classifyPromise({ counted: 3, failing: 1, due: 1, passing: 1 })).toBe('broken');
    expect(classifyPromise({ counted: 3, failing: 0, due: 1, passing: 1 })).toBe('at_risk');
    expect(classifyPromise({ counted: 2, failing: 0, due: 0, passing: 2 })).toBe('kept');
    expect(classifyPromise({ counted: 2, failing: 0, due: 0, passing: 1 })).toBe('not_proved');
  });
});
