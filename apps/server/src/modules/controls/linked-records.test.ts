import { describe, expect, it } from 'vitest';
import { describePolicyStatus, describeRiskStatus } from './linked-records.ts';

const policy = {
  retired_at: null,
  published_number: null,
  latest_number: null,
  latest_status: null,
};

describe('describePolicyStatus', () => {
  it('names a policy without any version', () => {
    expect(describePolicyStatus(policy)).toBe('No version yet');
  });

  it('names the version in progress of a policy never published', () => {
    expect(describePolicyStatus({ ...policy, latest_number: 1, latest_status: 'in_review' })).toBe(
      'Not published · v1 in review',
    );
  });

  it('names the published version, and a newer one in progress', () => {
    expect(
      describePolicyStatus({
        ...policy,
        published_number: 2,
        latest_number: 2,
        latest_status: 'published',
      }),
    ).toBe('Published v2');
    expect(
      describePolicyStatus({
        ...policy,
        published_number: 2,
        latest_number: 3,
        latest_status: 'draft',
      }),
    ).toBe('Published v2 · v3 draft');
  });

  it('calls a retired policy retired whatever its versions', () => {
    expect(
      describePolicyStatus({
        retired_at: new Date('2026-01-01T00:00:00Z'),
        published_number: 2,
        latest_number: 2,
        latest_status: 'retired',
      }),
    ).toBe('Retired');
  });
});

describe('describeRiskStatus', () => {
  it('gives the register status and the score', () => {
    expect(describeRiskStatus({ status: 'accepted', score: 12 })).toBe('Accepted · score 12');
  });
});
