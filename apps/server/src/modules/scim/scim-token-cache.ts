import type { ScimClient } from '../../platform/authz/identity.ts';

/**
 * How long a live token is trusted without asking the database again. An identity provider sends
 * hundreds of requests a second during a push; a revocation committed by this process is seen at
 * once (see `forgetScimToken`), one committed elsewhere (the CLI, another instance) within this.
 */
export const scimTokenCacheMs = 1_000;

/** A live token as the authenticator last found it. */
export interface CachedToken {
  client: ScimClient;
  lastUsedAt: Date | null;
  expiresAt: number;
}

/** One authenticator's live tokens by the hash of their secret. */
export interface TokenCache {
  entries: Map<string, CachedToken>;
  /** Bumped by every revocation, so a lookup that raced one is not cached. */
  generation: number;
}

// Every authenticator of this process, so a revocation reaches them all (a test runs several
// applications in one process); held weakly so an application that is gone is not kept alive.
const caches = new Set<WeakRef<TokenCache>>();

/** Drop a revoked token from every authenticator of this process; call after the commit. */
export function forgetScimToken(tokenId: string): void {
  for (const ref of caches) {
    const cache = ref.deref();
    if (!cache) {
      caches.delete(ref);
      continue;
    }
    cache.generation++;
    for (const [key, entry] of cache.entries) {
      if (entry.client.tokenId === tokenId) cache.entries.delete(key);
    }
  }
}

/** A new, empty cache that revocations in this process reach. */
export function registerTokenCache(): TokenCache {
  const cache: TokenCache = { entries: new Map(), generation: 0 };
  caches.add(new WeakRef(cache));
  return cache;
}
