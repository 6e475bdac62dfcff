import { describe, expect, it } from 'vitest';
import { allowedTransitions, canTransition } from './finding-states.ts';

describe('the finding lifecycle', () => {
  it('lets a person close an open finding, but not accept its risk', () => {
    expect(allowedTransitions('open')).toEqual(['false_positive', 'not_affected', 'fixed']);
    expect(canTransition('open', 'risk_accepted', 'person')).toBe(false);
  });

  it('lets a person reopen any closed finding and nothing else', () => {
    for (const state of ['risk_accepted', 'false_positive', 'not_affected', 'fixed'] as const) {
      expect(allowedTransitions(state)).toEqual(['open']);
    }
    expect(canTransition('fixed', 'false_positive', 'person')).toBe(false);
  });

  it('accepts risk only through an approved acceptance, and reopens it on expiry', () => {
    expect(canTransition('open', 'risk_accepted', 'acceptance')).toBe(true);
    expect(canTransition('fixed', 'risk_accepted', 'acceptance')).toBe(false);
    expect(canTransition('risk_accepted', 'open', 'expiry')).toBe(true);
    expect(canTransition('fixed', 'open', 'expiry')).toBe(false);
    expect(canTransition('open', 'open', 'person')).toBe(false);
  });
});
