import { describe, expect, it } from 'vitest';
import { PrincipalCache } from './principal-cache.ts';

describe('PrincipalCache', () => {
  it('serves a kept answer until its time is up', () => {
    const cache = new PrincipalCache<string>(1000);
    cache.set('k', 'org-a', 'alice', cache.ticket(), 0);
    expect(cache.get('k', 999)).toBe('alice');
    expect(cache.get('k', 1000)).toBeUndefined();
  });

  it('forgets the answers of the org a change was announced for, and only those', () => {
    const cache = new PrincipalCache<string>(1000);
    cache.set('a', 'org-a', 'alice', cache.ticket(), 0);
    cache.set('b', 'org-b', 'bob', cache.ticket(), 0);
    cache.forget('org-a');
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toBe('bob');
    cache.forget(null);
    expect(cache.get('b', 1)).toBeUndefined();
  });

  it('does not keep a lookup that a change announced meanwhile may have overtaken', () => {
    const cache = new PrincipalCache<string>(1000);
    const ticket = cache.ticket();
    cache.forget('org-b');
    cache.set('a', 'org-a', 'alice', ticket, 0);
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('keeps and serves nothing while announcements cannot be heard', () => {
    let hearing = false;
    const cache = new PrincipalCache<string>(1000, () => hearing);
    cache.set('a', 'org-a', 'alice', cache.ticket(), 0);
    expect(cache.size).toBe(0);
    hearing = true;
    cache.set('a', 'org-a', 'alice', cache.ticket(), 0);
    hearing = false;
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('updates a kept answer without extending its life', () => {
    const cache = new PrincipalCache<string>(1000);
    cache.set('a', 'org-a', 'alice', cache.ticket(), 0);
    cache.update('a', 'alice 2');
    expect(cache.get('a', 500)).toBe('alice 2');
    expect(cache.get('a', 1000)).toBeUndefined();
  });

  it('holds at most its bound, dropping the oldest answer first', () => {
    const cache = new PrincipalCache<number>(1000);
    for (let i = 0; i <= 10_000; i += 1) cache.set(`k${i}`, `org-${i % 3}`, i, cache.ticket(), 0);
    expect(cache.size).toBe(10_000);
    expect(cache.get('k0', 1)).toBeUndefined();
    expect(cache.get('k10000', 1)).toBe(10_000);
    // k10000 belongs to org-1, k9999 to org-0.
    cache.forget('org-1');
    expect(cache.get('k10000', 1)).toBeUndefined();
    expect(cache.get('k9999', 1)).toBe(9999);
  });
});
