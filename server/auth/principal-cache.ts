import type { Storage } from '../db';
import { authenticate, hashToken, type Principal, TOKENS_CHANNEL } from './tokens';

/** A cached answer is used for at most this long, even if no notification ever dropped it. */
export const PRINCIPAL_TTL_MS = 5_000;
/** Tokens remembered at most; past that the oldest entry goes. */
const MAX_ENTRIES = 10_000;

type Entry = { principal: Promise<Principal | null>; expiresAt: number };

/**
 * The token → principal lookup of every request, answered from memory (issue 9: under 200 syncing clients
 * the lookup was a database statement per request, as costly as the pull itself on PGlite).
 *
 * Why a revoked token stops working as it did without the cache:
 * - Every change to what a token resolves to goes through tokens.ts (`revokeToken`, `ensureMember`), which
 *   sends a NOTIFY on TOKENS_CHANNEL in the same transaction. The database delivers it after the commit to
 *   every server process on it (PGlite: the one process that owns the data directory, before the
 *   revoking statement's answer; PostgreSQL: each process's LISTEN session), and each drops every entry.
 * - A lookup that was under way when the notification came is dropped with the rest (it may have read the
 *   token before the revocation committed): requests after the notification look the token up again.
 * - When a LISTEN session is lost and replaced (notifications in between are lost), the cache is dropped
 *   too; while it is being replaced, and for a change made by hand in SQL (no notification), an entry lives
 *   at most PRINCIPAL_TTL_MS.
 * Only valid tokens are cached: an unknown or revoked token is looked up every time (and its address is
 * throttled by bearer.ts), so guessing cannot fill the cache. Entries are keyed by the token's hash.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly dropListeners = new Set<() => void>();

  private constructor(
    private readonly storage: Storage,
    private readonly now: () => number,
  ) {}

  /** `now`: a monotonic clock, so that a wall clock stepped back cannot stretch an entry's life. */
  static async start(storage: Storage, now: () => number = () => performance.now()): Promise<PrincipalCache> {
    const cache = new PrincipalCache(storage, now);
    await storage.listen(
      TOKENS_CHANNEL,
      () => cache.clear(),
      () => cache.clear(),
    );
    return cache;
  }

  /** The principal of `token`, or null when it is unknown or revoked. */
  authenticate(token: string): Promise<Principal | null> {
    const key = hashToken(token);
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.principal;
    if (cached) this.entries.delete(key);
    const principal = authenticate(this.storage, token);
    const entry: Entry = { principal, expiresAt: this.now() + PRINCIPAL_TTL_MS };
    // Concurrent requests with the same token share this lookup.
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    principal.then((found) => {
      if (!found) forget();
    }, forget);
    return principal;
  }

  /**
   * Calls `listener` whenever every entry is dropped (a token revoked or changed somewhere, a lost
   * notification session): holders of something a token opened, e.g. a change stream, check it again then.
   * Returns the unsubscribe.
   */
  onDropped(listener: () => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  /** Drops every entry, the lookups under way included: later requests look their token up again. */
  private clear(): void {
    this.entries.clear();
    for (const listener of this.dropListeners) listener();
  }
}
