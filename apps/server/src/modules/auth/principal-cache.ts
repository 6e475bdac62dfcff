/**
 * How long a looked-up credential is trusted without asking the database again. Changes made by
 * this process (and, within milliseconds, by others) are announced and take effect at once; this
 * bounds how long an announcement delayed on its way from another process can go unheeded.
 */
export const principalCacheTtlMs = 5_000;

const maxEntries = 10_000;

interface Entry<V> {
  value: V;
  orgId: string;
  storedAt: number;
}

/**
 * The database's answer for recently used credentials, keyed by the hash of the credential. An
 * entry is only ever stored from a lookup that no announced change overtook (see `ticket`), and
 * an org's entries are forgotten when a change to its users, sessions or tokens is announced.
 */
export class PrincipalCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  // Every pool connection hears each announcement, so forgetting an org must not scan them all.
  private readonly keysByOrg = new Map<string, Set<string>>();
  private generation = 0;

  constructor(
    private readonly ttlMs = principalCacheTtlMs,
    /** Whether announcements can currently be heard; nothing is stored or served otherwise. */
    private readonly isHearing: () => boolean = () => true,
  ) {}

  /** The fresh answer for a credential, if one is kept. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.storedAt >= this.ttlMs || !this.isHearing()) {
      this.remove(key, entry.orgId);
      return undefined;
    }
    return entry.value;
  }

  /** Taken before a lookup: the answer may be stored only if no change was announced since. */
  ticket(): number {
    return this.generation;
  }

  /** Keep a lookup's answer, unless a change was announced after the ticket was taken. */
  set(key: string, orgId: string, value: V, ticket: number, now: number): void {
    if (ticket !== this.generation || !this.isHearing()) return;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous.orgId);
    if (this.entries.size >= maxEntries) {
      const oldest = this.entries.entries().next();
      if (!oldest.done) this.remove(oldest.value[0], oldest.value[1].orgId);
    }
    this.entries.set(key, { value, orgId, storedAt: now });
    let keys = this.keysByOrg.get(orgId);
    if (!keys) {
      keys = new Set();
      this.keysByOrg.set(orgId, keys);
    }
    keys.add(key);
  }

  /** Replace a kept answer (e.g. a new last-use time) without extending its life. */
  update(key: string, value: V): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = value;
  }

  /** Forget the answers of one org, or of every org (`null`). */
  forget(orgId: string | null): void {
    this.generation += 1;
    if (orgId === null) {
      this.entries.clear();
      this.keysByOrg.clear();
      return;
    }
    for (const key of this.keysByOrg.get(orgId) ?? []) this.entries.delete(key);
    this.keysByOrg.delete(orgId);
  }

  private remove(key: string, orgId: string): void {
    this.entries.delete(key);
    const keys = this.keysByOrg.get(orgId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByOrg.delete(orgId);
  }

  /** How many answers are kept. */
  get size(): number {
    return this.entries.size;
  }
}
