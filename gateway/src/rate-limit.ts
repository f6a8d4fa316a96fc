import { createHash } from "node:crypto";
import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Redis } from "ioredis";
import type { Identity } from "../../shared/src/auth/proof";
import type { Logger } from "../../shared/src/logger";
import { connectRedis } from "./redis";

/** Fixed one-minute windows per caller: counted in Redis when REDIS_URL is set (shared by every gateway), in memory otherwise. */
export interface RateLimiter {
  /** Counts one request; returns the seconds to wait when over the limit, else null. */
  hit(key: string): Promise<number | null>;
  close(): Promise<void>;
}

const WINDOW_SECONDS = 60;

export function memoryRateLimiter(limit: number): RateLimiter {
  const windows = new Map<string, { window: number; count: number }>();
  return {
    async hit(key) {
      const now = Date.now() / 1000;
      const window = Math.floor(now / WINDOW_SECONDS);
      const entry = windows.get(key);
      const count = entry?.window === window ? entry.count + 1 : 1;
      if (windows.size > 100_000) windows.clear();
      windows.set(key, { window, count });
      return count > limit ? Math.ceil((window + 1) * WINDOW_SECONDS - now) : null;
    },
    async close() {},
  };
}

export function redisRateLimiter(redis: Redis, limit: number, log: Logger): RateLimiter {
  return {
    async hit(key) {
      const now = Date.now() / 1000;
      const window = Math.floor(now / WINDOW_SECONDS);
      const redisKey = `coalition:rate:${key}:${window}`;
      try {
        const [[, count]] = (await redis.multi().incr(redisKey).expire(redisKey, WINDOW_SECONDS * 2).exec()) as [[unknown, number]];
        return count > limit ? Math.ceil((window + 1) * WINDOW_SECONDS - now) : null;
      } catch (error) {
        // Redis down: let requests through rather than take the whole API down with it.
        log.warn("rate limiter unavailable", { error: (error as Error).message });
        return null;
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** Each member and each API key is limited; admins and anonymous catalog reads are not (by this rule). */
export function rateLimitKey(identity: Identity, apiKey: string | undefined): string | null {
  if (identity.kind === "member") return `member:${identity.memberId}`;
  // By a hash of the key (never the key itself): two keys of one partner count separately.
  if (identity.kind === "partner" && apiKey) return `key:${createHash("sha256").update(apiKey).digest("hex").slice(0, 32)}`;
  return null;
}

export function rateLimited(retryAfter: number): GraphQLError {
  return new GraphQLError(`Too many requests; retry in ${retryAfter} s`, {
    extensions: { code: "RATE_LIMITED", retryAfter, http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) } },
  });
}

export function createRateLimiter(log: Logger, env = process.env): RateLimiter {
  const limit = Number(env.RATE_LIMIT_PER_MINUTE ?? 600);
  if (!env.REDIS_URL) return memoryRateLimiter(limit);
  // Fails fast when Redis is away: requests then pass (see above).
  return redisRateLimiter(connectRedis(env.REDIS_URL, log), limit, log);
}
