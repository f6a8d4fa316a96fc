import { type JWTVerifyGetKey, createLocalJWKSet, errors } from "jose";
import { appError } from "../../shared/src/errors";
import type { Logger } from "../../shared/src/logger";

/** How long fetched keys are used before they are fetched again: with VERIFIED_TOKEN_MS less this, a dropped key's tokens stop within a minute. */
export const JWKS_FRESH_MS = 30_000;
/** How long the last keys still serve while the identity provider cannot be reached (an outage of it does not sign everyone out). */
export const JWKS_STALE_MS = 10 * 60_000;
/** A token whose key is not among the keys fetches them again (a new signing key), at most this often. */
export const JWKS_COOLDOWN_MS = 5_000;
/** How long one fetch of the keys may take. */
const JWKS_FETCH_TIMEOUT_MS = 5_000;

type KeySet = { resolve: ReturnType<typeof createLocalJWKSet>; fetchedAt: number };

/**
 * The identity provider's signing keys (its JWKS) for jwtVerify. jose's own remote set keeps them 10
 * minutes and, once stale, refuses every token while the provider cannot be reached; here they are
 * fetched again after JWKS_FRESH_MS, so a key the provider dropped stops its tokens within a minute
 * (README, Who may see and do what), and while a fetch fails the last keys serve for JWKS_STALE_MS
 * more (logged). With no keys at all (the provider unreachable since the gateway started, or for
 * longer than that), a token cannot be checked: UPSTREAM_UNAVAILABLE, retryable, never a refusal of
 * the credential. One fetch at a time, shared by every request waiting for it.
 */
export class ProviderKeys {
  private keys: KeySet | null = null;
  private fetching: Promise<KeySet> | null = null;
  /** When a fetch last failed: for JWKS_COOLDOWN_MS after it no request waits on another (a provider down is not asked on every request). */
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly url: URL,
    private readonly log?: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = await this.current();
    try {
      return await keys.resolve(header, token);
    } catch (error) {
      // A key it has not seen: a new signing key, perhaps. Fetched again (not more than every JWKS_COOLDOWN_MS).
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.now() - keys.fetchedAt < JWKS_COOLDOWN_MS) throw error;
      const again = await this.fetched(keys);
      return again.resolve(header, token);
    }
  };

  private async current(): Promise<KeySet> {
    const kept = this.keys;
    if (kept && this.now() - kept.fetchedAt < JWKS_FRESH_MS) return kept;
    return this.fetched(kept);
  }

  /** Fresh keys, or while the provider cannot be reached the `kept` ones if they are not older than JWKS_FRESH_MS + JWKS_STALE_MS. */
  private async fetched(kept: KeySet | null): Promise<KeySet> {
    const usable = kept && this.now() - kept.fetchedAt < JWKS_FRESH_MS + JWKS_STALE_MS ? kept : null;
    if (this.now() - this.failedAt < JWKS_COOLDOWN_MS) return usable ?? unavailable();
    try {
      this.fetching ??= this.fetchKeys().finally(() => (this.fetching = null));
      return (this.keys = await this.fetching);
    } catch (error) {
      this.failedAt = this.now();
      if (!usable) return unavailable();
      this.log?.warn("identity provider's keys could not be fetched: using the last ones", { url: this.url.origin, error: (error as Error).message });
      return usable;
    }
  }

  private async fetchKeys(): Promise<KeySet> {
    const response = await fetch(this.url, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS), headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const jwks = (await response.json()) as Parameters<typeof createLocalJWKSet>[0];
    return { resolve: createLocalJWKSet(jwks), fetchedAt: this.now() };
  }
}

const unavailable = (): never => {
  throw appError("UPSTREAM_UNAVAILABLE", "The identity provider's signing keys could not be fetched; try again shortly");
};
