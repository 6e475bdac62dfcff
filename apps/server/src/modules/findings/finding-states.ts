import type { FindingState, manualTransitionTargets } from '@steward/contracts';

/** A state a person may move a finding to directly. */
export type ManualTarget = (typeof manualTransitionTargets)[number];

/** What causes a transition; each cause has its own allowed moves. */
export type TransitionCause =
  /** A person, through the API. */
  | 'person'
  /** An approved risk acceptance. */
  | 'acceptance'
  /** An expired risk acceptance. */
  | 'expiry';

const closedStates: readonly FindingState[] = [
  'risk_accepted',
  'false_positive',
  'not_affected',
  'fixed',
];

/**
 * The lifecycle: an open finding is closed as false positive, not affected or fixed by a person,
 * or as risk accepted only through an approved acceptance; any closed finding can be reopened by
 * a person; an accepted risk reopens by itself when the acceptance expires.
 */
export function canTransition(
  from: FindingState,
  to: FindingState,
  cause: TransitionCause,
): boolean {
  if (from === to) return false;
  switch (cause) {
    case 'person':
      if (from === 'open')
        return to === 'false_positive' || to === 'not_affected' || to === 'fixed';
      return to === 'open' && closedStates.includes(from);
    case 'acceptance':
      return from === 'open' && to === 'risk_accepted';
    case 'expiry':
      return from === 'risk_accepted' && to === 'open';
  }
}

/** States a person may move a finding in `state` to. */
export function allowedTransitions(state: FindingState): ManualTarget[] {
  const targets: ManualTarget[] = ['open', 'false_positive', 'not_affected', 'fixed'];
  return targets.filter((to) => canTransition(state, to, 'person'));
}
