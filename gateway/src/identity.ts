import type { IncomingHttpHeaders } from "node:http";
import { trace } from "@opentelemetry/api";
import { GraphQLError } from "graphql";
import { type JWTPayload, decodeProtectedHeader, jwtVerify } from "jose";
import { TOKEN_CLOCK_SKEW_SECONDS, jwtMaxTtlSeconds, tokenTimeError, verifyToken } from "../../shared/src/auth/jwt";
import { hashApiKey } from "../../shared/src/auth/api-key";
import type { Identity } from "../../shared/src/auth/proof";
import { erasureCheckCacheMs } from "../../shared/src/config";
import { createLogger } from "../../shared/src/logger";
import { CONTROL_LANE } from "../../shared/src/overload";
import { SubgraphClient } from "../../shared/src/subgraph-client";
import { isUuid } from "../../shared/src/validation";
import { ErasureFeed, type ErasureFeedPage } from "./erasure-feed";
import { JWKS_FRESH_MS, ProviderKeys } from "./provider-keys";
import { isUpstreamUnavailable } from "./upstream-status";

/** How long a verified token's claims are kept, and how many tokens at most (Identifier.verified). */
export const VERIFIED_TOKEN_MS = 60_000;
/**
 * How long a token verified against the identity provider's keys is kept: with the keys' own
 * freshness (provider-keys.ts) it adds up to VERIFIED_TOKEN_MS, so a signing key dropped from the
 * JWKS stops its tokens within a minute, as the README says.
 */
const VERIFIED_JWKS_TOKEN_MS = VERIFIED_TOKEN_MS - JWKS_FRESH_MS;
const VERIFIED_TOKENS_KEPT = 10_000;

const unauthenticated = (message: string, reason?: "MEMBER_ERASED") =>
  new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", ...(reason ? { reason } : {}), http: { status: 401 } } });

export interface TokenVerification {
  /** HS256 (development): JWT_SECRET. */
  secret?: string;
  /** RS256/ES256 (production): the identity provider's JWKS URL, with optional issuer and audience checks. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Longest token lifetime accepted (JWT_MAX_TTL_SECONDS), either kind of token. */
  maxTtlSeconds: number;
}

/**
 * What every gateway request carries to its subgraph calls: who is calling (Identifier below), and by
 * when (performance.now() milliseconds) its calls must be answered: GATEWAY_REQUEST_TIMEOUT_MS after it
 * left the admission queue (config.ts). None: no deadline but each call's SUBGRAPH_TIMEOUT_MS.
 */
export interface GatewayContext {
  identity: Identity;
  deadline?: number;
}

/**
 * Who is calling: a member or an admin with a bearer JWT, a partner app with an `x-api-key`, or nobody.
 * A credential that is present but wrong is refused, never ignored.
 */
export class Identifier {
  private readonly partners = new SubgraphClient("partners");
  private readonly members = new SubgraphClient("members");
  /** Member ids known to be erased (an erasure is never undone). */
  private readonly erased = new Set<string>();
  /** Member id -> until when it is known NOT to be erased (ERASURE_CHECK_CACHE_MS; eraseMember waits that long). */
  private readonly notErased = new Map<string, number>();
  /** One question to the members service per member at a time, however many requests ask. */
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly notErasedMs = erasureCheckCacheMs();
  /**
   * Every erased id, read in the background: while it is fresh, no member needs a question of their own.
   * Read in the members service's control lane, so that a members service shedding load does not make
   * this gateway ask about each member instead (one request more per member request).
   */
  private readonly feed = new ErasureFeed(
    async (after) =>
      (await this.members.request<{ erasureFeed: ErasureFeedPage }>(`query ErasureFeed($after: String) { erasureFeed(after: $after) { memberIds next complete } }`, { after }, { lane: CONTROL_LANE })).erasureFeed,
    this.notErasedMs,
    createLogger("gateway"),
  );
  /** Key hash -> partner, briefly: a revoked key stops working within `cacheMs`. */
  private readonly cache = new Map<string, { partnerId: string | null; until: number }>();
  private readonly jwks: ProviderKeys | null;
  /**
   * Token -> its claims, for VERIFIED_TOKEN_MS at most and never past the token's expiry: a member's
   * app sends the same token with every request, and verifying it again (an HMAC or a signature check,
   * two JSON parses) was 3% of the gateway's CPU on the headline. Only tokens that passed are kept (no
   * one fills it without valid tokens); the same string is the same signature. A signing key dropped
   * from the JWKS stops its tokens within VERIFIED_TOKEN_MS.
   */
  private readonly verified = new Map<string, { claims: { sub: string; role: string }; until: number }>();

  constructor(
    private readonly tokens: TokenVerification,
    private readonly cacheMs = 10_000,
  ) {
    this.jwks = tokens.jwksUrl ? new ProviderKeys(new URL(tokens.jwksUrl), createLogger("gateway")) : null;
  }

  private async verifiedClaimsOf(token: string): Promise<{ sub: string; role: string }> {
    const kept = this.verified.get(token);
    if (kept && kept.until > Date.now()) return kept.claims;
    const { sub, role, exp, fromJwks } = await this.claimsOf(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.clear();
    const keptMs = fromJwks ? VERIFIED_JWKS_TOKEN_MS : VERIFIED_TOKEN_MS;
    this.verified.set(token, { claims: { sub, role }, until: Math.min(exp * 1000, Date.now() + keptMs) });
    return { sub, role };
  }

  /** Claims of a valid token: HS256 with the shared secret, or RS256/ES256 against the JWKS. */
  private async claimsOf(token: string): Promise<{ sub: string; role: string; exp: number; fromJwks?: boolean }> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated("Invalid token: malformed token");
    }
    if (alg === "HS256" && this.tokens.secret) {
      const verified = verifyToken(token, this.tokens.secret, Date.now(), this.tokens.maxTtlSeconds);
      if ("error" in verified) throw unauthenticated(`Invalid token: ${verified.error}`);
      return verified.claims;
    }
    if ((alg === "RS256" || alg === "ES256") && this.jwks) {
      let verified: JWTPayload;
      try {
        const { payload } = await jwtVerify(token, this.jwks.getKey, {
          algorithms: ["RS256", "ES256"],
          issuer: this.tokens.issuer,
          audience: this.tokens.audience,
          requiredClaims: ["exp", "sub"],
          clockTolerance: TOKEN_CLOCK_SKEW_SECONDS,
        });
        verified = payload;
      } catch (error) {
        // The provider's keys could not be fetched at all: nothing is known to be wrong with the token.
        if (isUpstreamUnavailable(error)) throw error;
        throw unauthenticated(`Invalid token: ${(error as Error).message}`);
      }
      // The same rules on lifetime and clock as for HS256 (jose checks no lifetime, nor a future iat).
      const timeError = tokenTimeError(verified, this.tokens.maxTtlSeconds);
      if (timeError) throw unauthenticated(`Invalid token: ${timeError}`);
      return { sub: String(verified.sub), role: String(verified.role), exp: Number(verified.exp), fromJwks: true };
    }
    throw unauthenticated("Invalid token: unsupported algorithm");
  }

  async identify(headers: IncomingHttpHeaders): Promise<Identity> {
    const authorization = headers.authorization;
    if (authorization) {
      const match = /^Bearer (\S+)$/i.exec(authorization);
      if (!match) throw unauthenticated("Authorization must be `Bearer <token>`");
      const { sub, role } = await this.verifiedClaimsOf(match[1]);
      if (role === "admin") return { kind: "admin", subject: sub };
      if (role !== "member") throw unauthenticated("Invalid token: `role` must be member or admin");
      if (!isUuid(sub)) throw unauthenticated("Invalid token: a member's `sub` is their member id");
      const memberId = sub.toLowerCase();
      if (await this.isErased(memberId)) throw unauthenticated("Invalid token: this member's data was erased", "MEMBER_ERASED");
      return { kind: "member", memberId };
    }
    const apiKey = headers["x-api-key"];
    if (typeof apiKey === "string" && apiKey) {
      const partnerId = await this.partnerOf(apiKey);
      if (!partnerId) throw unauthenticated("Unknown or revoked API key");
      return { kind: "partner", partnerId };
    }
    return { kind: "anonymous" };
  }

  /**
   * Whether the member was erased: from the erasure feed while it is fresh (ErasureFeed), otherwise
   * from the members service (`memberErased`). "Erased" is remembered for ever (an erasure is never
   * undone); "not erased" for ERASURE_CHECK_CACHE_MS only, and `eraseMember` waits that long before it
   * answers, so from its answer on every gateway refuses the member's tokens. The members service down
   * fails member requests closed (UPSTREAM_UNAVAILABLE) once the feed is stale, never open.
   */
  private async isErased(memberId: string): Promise<boolean> {
    const known = this.feed.knows(memberId);
    if (known !== undefined) return known;
    if (this.erased.has(memberId)) return true;
    if ((this.notErased.get(memberId) ?? 0) > Date.now()) return false;
    let asked = this.asking.get(memberId);
    if (!asked) {
      asked = this.askErased(memberId).finally(() => this.asking.delete(memberId));
      this.asking.set(memberId, asked);
    }
    return asked;
  }

  private async askErased(memberId: string): Promise<boolean> {
    // "Not erased" holds from when the question was sent, not from when its answer arrived: an erasure committed
    // after the members service read answers ERASURE_CHECK_CACHE_MS after its commit, which a slow answer could outlast.
    const askedAt = Date.now();
    // A span of its own, so a trace shows this call beside the query plan's fetches (a no-op without telemetry).
    const { memberErased } = await trace.getTracer("coalition-gateway").startActiveSpan("gateway.identity", async (span) => {
      try {
        return await this.members.request<{ memberErased: boolean }>(`query MemberErased($id: ID!) { memberErased(id: $id) }`, { id: memberId });
      } finally {
        span.end();
      }
    });
    if (memberErased) {
      if (this.erased.size > 100_000) this.erased.clear();
      this.erased.add(memberId);
    } else if (this.notErasedMs > 0) {
      if (this.notErased.size > 100_000) this.notErased.clear();
      this.notErased.set(memberId, askedAt + this.notErasedMs);
    }
    return memberErased;
  }

  private async partnerOf(key: string): Promise<string | null> {
    if (key.length > 200) return null;
    const keyHash = hashApiKey(key);
    const cached = this.cache.get(keyHash);
    if (cached && cached.until > Date.now()) return cached.partnerId;
    // Kept from when the question was sent, not from when its answer arrived: a revocation committed just after the
    // partners service's read would otherwise work on for the cache time after a slow answer (as askErased does).
    const askedAt = Date.now();
    const { apiKeyOwner } = await this.partners.request<{ apiKeyOwner: string | null }>(`query($h: String!) { apiKeyOwner(keyHash: $h) }`, { h: keyHash });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(keyHash, { partnerId: apiKeyOwner, until: askedAt + this.cacheMs });
    return apiKeyOwner;
  }
}

/** JWT_SECRET (HS256, development: npm start generates one) and/or JWT_JWKS_URL (RS256/ES256, production). */
export function tokenVerification(env = process.env): TokenVerification {
  const secret = env.JWT_SECRET;
  if (secret && secret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
  if (!secret && !env.JWT_JWKS_URL) throw new Error("Set JWT_JWKS_URL (RS256/ES256) or JWT_SECRET (HS256, development)");
  // An identity provider signs tokens for every application it serves with the same keys: without both checks, a token
  // it issued for another of them (with a `role` claim of its own) would be accepted here.
  if (env.JWT_JWKS_URL && (!env.JWT_ISSUER || !env.JWT_AUDIENCE)) {
    throw new Error("JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE as well: without them, tokens the provider issued for other applications would be accepted");
  }
  return { secret, jwksUrl: env.JWT_JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, maxTtlSeconds: jwtMaxTtlSeconds(env) };
}
