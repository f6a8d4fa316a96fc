import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * HS256 JSON Web Tokens (development and tests: the secret in JWT_SECRET). Only what Coalition needs:
 * `sub`, `role` and `exp`, verified in constant time.
 */
export interface TokenClaims {
  sub: string;
  role: "member" | "admin";
  exp: number;
  iat?: number;
  nbf?: number;
}

/** How far a token's `nbf` or `iat` may lie ahead of our clock (the issuer's clock may run a little fast). */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

/**
 * JWT_MAX_TTL_SECONDS (a day by default): the longest lifetime (`exp - iat`, or `exp - now` without
 * `iat`) a token may have. A stolen long-lived token would work for its whole life; there is no revocation.
 */
export function jwtMaxTtlSeconds(env = process.env): number {
  const raw = env.JWT_MAX_TTL_SECONDS;
  if (raw === undefined || raw === "") return 86_400;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`JWT_MAX_TTL_SECONDS must be a positive integer, got "${raw}"`);
  return value;
}

/** Why a token's times make it unacceptable at `now` (expired, not valid yet, issued in the future, too long-lived); null when they are fine. */
export function tokenTimeError(claims: { exp?: unknown; iat?: unknown; nbf?: unknown }, maxTtlSeconds: number, now = Date.now()): string | null {
  const nowSeconds = now / 1000;
  const { exp, iat, nbf } = claims;
  if (typeof exp !== "number" || exp <= nowSeconds) return "token expired";
  if (nbf !== undefined && (typeof nbf !== "number" || nbf > nowSeconds + TOKEN_CLOCK_SKEW_SECONDS)) return "token not valid yet (nbf is in the future)";
  if (iat !== undefined && (typeof iat !== "number" || iat > nowSeconds + TOKEN_CLOCK_SKEW_SECONDS)) return "token issued in the future (iat)";
  if (exp - (typeof iat === "number" ? iat : nowSeconds) > maxTtlSeconds) return `token lifetime is longer than the ${maxTtlSeconds} s allowed`;
  return null;
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signToken(claims: Omit<TokenClaims, "exp"> & { exp?: number }, secret: string, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ iat: now, exp: now + ttlSeconds, ...claims })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** The claims of a valid token within its lifetime (at most `maxTtlSeconds` long); a reason otherwise. */
export function verifyToken(token: string, secret: string, now = Date.now(), maxTtlSeconds = jwtMaxTtlSeconds()): { claims: TokenClaims } | { error: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { error: "malformed token" };
  const [header, payload, signature] = parts;
  let alg: unknown;
  let claims: Partial<TokenClaims>;
  try {
    alg = JSON.parse(Buffer.from(header, "base64url").toString("utf8")).alg;
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { error: "malformed token" };
  }
  if (alg !== "HS256") return { error: "unsupported token algorithm" };
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: "invalid token signature" };
  const timeError = tokenTimeError(claims, maxTtlSeconds, now);
  if (timeError) return { error: timeError };
  if (typeof claims.sub !== "string" || (claims.role !== "member" && claims.role !== "admin")) return { error: "token needs `sub` and a `role` of member or admin" };
  return { claims: claims as TokenClaims };
}
