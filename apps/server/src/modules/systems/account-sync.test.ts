import { describe, expect, it } from 'vitest';
import { normaliseSnapshot, planSync, type StoredAccount } from './account-sync.ts';

function stored(externalId: string, overrides: Partial<StoredAccount> = {}): StoredAccount {
  const [normal] = normaliseSnapshot([
    { externalId, status: 'active', privileged: false, entitlements: [] },
  ]);
  if (!normal) throw new Error('no account');
  return {
    id: `id-${externalId}`,
    externalId,
    username: null,
    email: null,
    displayName: null,
    status: 'active',
    privileged: false,
    mfaEnabled: null,
    lastSignInAt: null,
    validUntil: null,
    digest: normal.digest,
    entitlements: [],
    ...overrides,
  };
}

describe('normaliseSnapshot', () => {
  it('sorts and merges entitlements and derives the privileged flag', () => {
    const [a] = normaliseSnapshot([
      {
        externalId: 'x',
        status: 'active',
        privileged: false,
        entitlements: [
          { kind: 'role', name: 'b', privileged: false },
          { kind: 'group', name: 'a', privileged: false },
          { kind: 'role', name: 'b', privileged: true },
        ],
      },
    ]);
    expect(a?.entitlements).toEqual([
      { kind: 'group', name: 'a', privileged: false },
      { kind: 'role', name: 'b', privileged: true },
    ]);
    expect(a?.privileged).toBe(true);
  });

  it('gives the same digest to the same account written differently', () => {
    const [a] = normaliseSnapshot([
      {
        externalId: 'x',
        status: 'active',
        privileged: false,
        lastSignInAt: '2026-01-01T01:00:00+01:00',
        entitlements: [
          { kind: 'role', name: 'b', privileged: false },
          { kind: 'role', name: 'a', privileged: false },
        ],
      },
    ]);
    const [b] = normaliseSnapshot([
      {
        externalId: 'x',
        status: 'active',
        privileged: false,
        lastSignInAt: '2026-01-01T00:00:00Z',
        entitlements: [
          { kind: 'role', name: 'a', privileged: false },
          { kind: 'role', name: 'b', privileged: false },
        ],
      },
    ]);
    expect(a?.digest).toBe(b?.digest);
  });

  it('refuses duplicate external ids naming both positions', () => {
    expect(() =>
      normaliseSnapshot([
        { externalId: 'x', status: 'active', privileged: false, entitlements: [] },
        { externalId: 'x', status: 'active', privileged: false, entitlements: [] },
      ]),
    ).toThrow(/accounts\.0/);
  });
});

describe('planSync', () => {
  it('adds, leaves unchanged, disables, reactivates and removes', () => {
    const incoming = normaliseSnapshot([
      { externalId: 'same', status: 'active', privileged: false, entitlements: [] },
      { externalId: 'new', status: 'active', privileged: false, entitlements: [] },
      { externalId: 'off', status: 'disabled', privileged: false, entitlements: [] },
      { externalId: 'back', status: 'active', privileged: false, entitlements: [] },
    ]);
    const plan = planSync(
      [
        stored('same'),
        stored('off'),
        stored('back', { status: 'removed' }),
        stored('gone', { entitlements: [{ kind: 'role', name: 'r', privileged: false }] }),
      ],
      incoming,
    );
    expect(plan.counts).toMatchObject({
      received: 4,
      added: 1,
      unchanged: 1,
      disabled: 1,
      reactivated: 1,
      removed: 1,
    });
    expect(plan.unchangedIds).toEqual(['id-same']);
    const off = plan.changes.find((c) => c.externalId === 'off');
    expect(off?.changes).toEqual({ status: { from: 'active', to: 'disabled' } });
    const gone = plan.changes.find((c) => c.externalId === 'gone');
    expect(gone?.changes).toMatchObject({
      entitlements: { removed: [{ kind: 'role', name: 'r', privileged: false }] },
    });
  });

  it('does not remove an account twice', () => {
    const plan = planSync([stored('gone', { status: 'removed' })], []);
    expect(plan.changes).toEqual([]);
  });
});
