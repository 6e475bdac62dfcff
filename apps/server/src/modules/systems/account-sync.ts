// Comparing a full snapshot of a system's accounts with what the inventory holds, without the
// database: what to add, change, disable, reactivate or mark removed, and what each change was.
import type { EntitlementKind, SnapshotAccount, SyncCounts } from '@steward/contracts';
import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors/app-error.ts';

/** An entitlement as the inventory keeps it. */
export interface NormalEntitlement {
  kind: EntitlementKind;
  name: string;
  privileged: boolean;
}

/** An account of a snapshot, normalised: the form its digest is taken of. */
export interface NormalAccount {
  externalId: string;
  username: string | null;
  email: string | null;
  displayName: string | null;
  status: 'active' | 'disabled';
  /** Flagged privileged by the source, or holding a privileged entitlement. */
  privileged: boolean;
  mfaEnabled: boolean | null;
  lastSignInAt: string | null;
  validUntil: string | null;
  entitlements: NormalEntitlement[];
  digest: string;
}

/** An account the inventory already holds for the system. */
export interface StoredAccount {
  id: string;
  externalId: string;
  username: string | null;
  email: string | null;
  displayName: string | null;
  status: 'active' | 'disabled' | 'removed';
  privileged: boolean;
  mfaEnabled: boolean | null;
  lastSignInAt: string | null;
  validUntil: string | null;
  digest: string;
  entitlements: NormalEntitlement[];
}

/** The kind of change a sync makes to one account. */
export type AccountChangeKind = 'added' | 'changed' | 'disabled' | 'reactivated' | 'removed';

/** One planned change. */
export interface PlannedChange {
  kind: AccountChangeKind;
  externalId: string;
  /** Absent for added accounts. */
  accountId?: string;
  /** The account as it will be; absent for removed accounts. */
  next?: NormalAccount;
  /** What changed, field by field, and the entitlements added and removed. */
  changes: Record<string, unknown>;
}

/** What applying a snapshot does. */
export interface SyncPlan {
  changes: PlannedChange[];
  /** Accounts seen again without a change. */
  unchangedIds: string[];
  counts: SyncCounts;
}

function toIso(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function compareEntitlements(a: NormalEntitlement, b: NormalEntitlement): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** The digest of an account's fields and entitlements. */
export function digestAccount(account: Omit<NormalAccount, 'digest'>): string {
  const canonical = JSON.stringify([
    account.externalId,
    account.username,
    account.email,
    account.displayName,
    account.status,
    account.privileged,
    account.mfaEnabled,
    account.lastSignInAt,
    account.validUntil,
    account.entitlements.map((e) => [e.kind, e.name, e.privileged]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Normalise a snapshot: entitlements de-duplicated and sorted (a privileged duplicate wins),
 * times in UTC ISO form, the account privileged when any entitlement is. Two accounts with one
 * external id are refused, naming both positions.
 */
export function normaliseSnapshot(accounts: readonly SnapshotAccount[]): NormalAccount[] {
  const seen = new Map<string, number>();
  const errors: { path: string; message: string }[] = [];
  const result: NormalAccount[] = [];
  accounts.forEach((account, index) => {
    const first = seen.get(account.externalId);
    if (first !== undefined) {
      errors.push({
        path: `accounts.${String(index)}.externalId`,
        message: `Duplicate external id "${account.externalId}" (also at accounts.${String(first)})`,
      });
      return;
    }
    seen.set(account.externalId, index);
    const byKey = new Map<string, NormalEntitlement>();
    for (const e of account.entitlements) {
      const key = `${e.kind}\u0000${e.name}`;
      const prior = byKey.get(key);
      byKey.set(key, {
        kind: e.kind,
        name: e.name,
        privileged: e.privileged || !!prior?.privileged,
      });
    }
    const entitlements = [...byKey.values()].sort(compareEntitlements);
    const base = {
      externalId: account.externalId,
      username: account.username ?? null,
      email: account.email ?? null,
      displayName: account.displayName ?? null,
      status: account.status,
      privileged: account.privileged || entitlements.some((e) => e.privileged),
      mfaEnabled: account.mfaEnabled ?? null,
      lastSignInAt: toIso(account.lastSignInAt),
      validUntil: toIso(account.validUntil),
      entitlements,
    };
    result.push({ ...base, digest: digestAccount(base) });
  });
  if (errors.length > 0) {
    throw new AppError(
      'system.snapshot_invalid',
      `${String(errors.length)} duplicate external id${errors.length > 1 ? 's' : ''}: ${errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ')}`,
      errors.slice(0, 500),
    );
  }
  return result;
}

const comparedFields = [
  'username',
  'email',
  'displayName',
  'status',
  'privileged',
  'mfaEnabled',
  'lastSignInAt',
  'validUntil',
] as const;

function describeChanges(before: StoredAccount, after: NormalAccount): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of comparedFields) {
    if (before[field] !== after[field]) changes[field] = { from: before[field], to: after[field] };
  }
  const key = (e: NormalEntitlement) => `${e.kind}:${e.name}:${String(e.privileged)}`;
  const beforeKeys = new Set(before.entitlements.map(key));
  const afterKeys = new Set(after.entitlements.map(key));
  const added = after.entitlements.filter((e) => !beforeKeys.has(key(e)));
  const removed = before.entitlements.filter((e) => !afterKeys.has(key(e)));
  if (added.length > 0 || removed.length > 0) {
    changes.entitlements = {
      added: added.map((e) => ({ kind: e.kind, name: e.name, privileged: e.privileged })),
      removed: removed.map((e) => ({ kind: e.kind, name: e.name, privileged: e.privileged })),
    };
  }
  return changes;
}

/** An empty set of counts. */
export function emptyCounts(): SyncCounts {
  return {
    received: 0,
    added: 0,
    changed: 0,
    unchanged: 0,
    disabled: 0,
    reactivated: 0,
    removed: 0,
    linked: 0,
  };
}

/**
 * Plan a full snapshot against the stored accounts: new external ids are added, known ones with
 * another digest change (disabled or reactivated when their status moves), stored accounts the
 * snapshot lacks are marked removed (kept as evidence), and identical ones stay untouched.
 */
export function planSync(stored: readonly StoredAccount[], incoming: readonly NormalAccount[]) {
  const byExternalId = new Map(stored.map((a) => [a.externalId, a]));
  const counts = emptyCounts();
  counts.received = incoming.length;
  const changes: PlannedChange[] = [];
  const unchangedIds: string[] = [];
  const present = new Set<string>();
  for (const next of incoming) {
    present.add(next.externalId);
    const before = byExternalId.get(next.externalId);
    if (!before) {
      counts.added++;
      changes.push({
        kind: 'added',
        externalId: next.externalId,
        next,
        changes: {
          status: next.status,
          privileged: next.privileged,
          entitlements: next.entitlements.length,
        },
      });
      continue;
    }
    if (before.status !== 'removed' && before.digest === next.digest) {
      counts.unchanged++;
      unchangedIds.push(before.id);
      continue;
    }
    let kind: AccountChangeKind = 'changed';
    if (before.status === 'removed' || (before.status === 'disabled' && next.status === 'active')) {
      kind = 'reactivated';
    } else if (before.status === 'active' && next.status === 'disabled') {
      kind = 'disabled';
    }
    counts[kind]++;
    changes.push({
      kind,
      externalId: next.externalId,
      accountId: before.id,
      next,
      changes: describeChanges(before, next),
    });
  }
  for (const before of stored) {
    if (before.status === 'removed' || present.has(before.externalId)) continue;
    counts.removed++;
    changes.push({
      kind: 'removed',
      externalId: before.externalId,
      accountId: before.id,
      changes: {
        status: { from: before.status, to: 'removed' },
        entitlements: {
          added: [],
          removed: before.entitlements.map((e) => ({
            kind: e.kind,
            name: e.name,
            privileged: e.privileged,
          })),
        },
      },
    });
  }
  return { changes, unchangedIds, counts } satisfies SyncPlan;
}
