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
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signToken(claims: Omit<TokenClaims, "exp"> & { exp?: number }, secret: string, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ iat: now, exp: now + ttlSeconds, ...claims })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** The claims of a valid, unexpired token; a reason otherwise. */
export function verifyToken(token: string, secret: string, now = Date.now()): { claims: TokenClaims } | { error: string } {
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
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) return { error: "token expired" };
  if (typeof claims.sub !== "string" || (claims.role !== "member" && claims.role !== "admin")) return { error: "token needs `sub` and a `role` of member or admin" };
  return { claims: claims as TokenClaims };
}
