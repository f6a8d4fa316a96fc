import type { IncomingHttpHeaders } from "node:http";
import { GraphQLError } from "graphql";
import { verifyToken } from "../../shared/src/auth/jwt";
import type { Identity } from "../../shared/src/auth/proof";
import { SubgraphClient } from "../../shared/src/subgraph-client";
import { isUuid } from "../../shared/src/validation";
import { createHash } from "node:crypto";

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

/**
 * Who is calling: a member or an admin with a bearer JWT (HS256, JWT_SECRET), a partner app with an
 * `x-api-key`, or nobody. A credential that is present but wrong is refused, never ignored.
 */
export class Identifier {
  private readonly partners = new SubgraphClient("partners");
  /** Key hash -> partner, briefly: a revoked key stops working within `cacheMs`. */
  private readonly cache = new Map<string, { partnerId: string | null; until: number }>();

  constructor(
    private readonly jwtSecret: string,
    private readonly cacheMs = 10_000,
  ) {}

  async identify(headers: IncomingHttpHeaders): Promise<Identity> {
    const authorization = headers.authorization;
    if (authorization) {
      const match = /^Bearer (\S+)$/i.exec(authorization);
      if (!match) throw unauthenticated("Authorization must be `Bearer <token>`");
      const verified = verifyToken(match[1], this.jwtSecret);
      if ("error" in verified) throw unauthenticated(`Invalid token: ${verified.error}`);
      const { sub, role } = verified.claims;
      if (role === "admin") return { kind: "admin", subject: sub };
      if (!isUuid(sub)) throw unauthenticated("Invalid token: a member's `sub` is their member id");
      return { kind: "member", memberId: sub.toLowerCase() };
    }
    const apiKey = headers["x-api-key"];
    if (typeof apiKey === "string" && apiKey) {
      const partnerId = await this.partnerOf(apiKey);
      if (!partnerId) throw unauthenticated("Unknown or revoked API key");
      return { kind: "partner", partnerId };
    }
    return { kind: "anonymous" };
  }

  private async partnerOf(key: string): Promise<string | null> {
    if (key.length > 200) return null;
    const keyHash = createHash("sha256").update(key).digest("hex");
    const cached = this.cache.get(keyHash);
    if (cached && cached.until > Date.now()) return cached.partnerId;
    const { apiKeyOwner } = await this.partners.request<{ apiKeyOwner: string | null }>(`query($h: String!) { apiKeyOwner(keyHash: $h) }`, { h: keyHash });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(keyHash, { partnerId: apiKeyOwner, until: Date.now() + this.cacheMs });
    return apiKeyOwner;
  }
}

/** JWT_SECRET from the environment (npm start and the tests generate one when unset). */
export function jwtSecret(env = process.env): string {
  const secret = env.JWT_SECRET;
  if (!secret || secret.length < 32) throw new Error("JWT_SECRET must be set, at least 32 characters (npm start generates a development one)");
  return secret;
}
