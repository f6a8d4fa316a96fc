import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";
import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Redis } from "ioredis";
import type { Identity } from "../../shared/src/auth/proof";
import { hashApiKey } from "../../shared/src/auth/api-key";
import { loadSettings } from "../../shared/src/config";
import { type RateLimits, readRateLimits } from "./config";
import type { Logger } from "../../shared/src/logger";
import { connectRedis } from "./redis";

/** Fixed one-minute windows per caller: counted in Redis when REDIS_URL is set (shared by every gateway), in memory otherwise. */
export interface RateLimiter {
  /** Counts a request of `operations` operations (a batch counts each); returns the seconds to wait when over `limit` (default: the limiter's), else null. */
  hit(key: string, limit?: number, operations?: number): Promise<number | null>;
  close(): Promise<void>;
}

const WINDOW_SECONDS = 60;
/** The prefix of an anonymous client address's bucket (`anonymousLimit`). */
const ADDRESS_BUCKET = "addr:";

export function memoryRateLimiter(defaultLimit: number): RateLimiter {
  const windows = new Map<string, { window: number; count: number }>();
  return {
    async hit(key, limit = defaultLimit, operations = 1) {
      const now = Date.now() / 1000;
      const window = Math.floor(now / WINDOW_SECONDS);
      const entry = windows.get(key);
      const count = (entry?.window === window ? entry.count : 0) + operations;
      if (windows.size > 100_000) {
        // Anonymous addresses are many: drop past windows first, then this minute's address buckets, so
        // that a crowd of new addresses (an IPv6 /48 holds 65,536 /64s) resets only its own kind of
        // count, never a member's or a key's (outside review: it emptied them all). Only past that, all.
        // Each sweep frees at least half, so its cost spreads over the 50,000 inserts after it.
        for (const [name, kept] of windows) if (kept.window !== window) windows.delete(name);
        if (windows.size > 50_000) for (const name of windows.keys()) if (name.startsWith(ADDRESS_BUCKET)) windows.delete(name);
        if (windows.size > 50_000) windows.clear();
      }
      windows.set(key, { window, count });
      return count > limit ? Math.ceil((window + 1) * WINDOW_SECONDS - now) : null;
    },
    async close() {},
  };
}

export function redisRateLimiter(redis: Redis, defaultLimit: number, log: Logger): RateLimiter {
  return {
    async hit(key, limit = defaultLimit, operations = 1) {
      const now = Date.now() / 1000;
      const window = Math.floor(now / WINDOW_SECONDS);
      const redisKey = `coalition:rate:${key}:${window}`;
      try {
        const [[, count]] = (await redis.multi().incrby(redisKey, operations).expire(redisKey, WINDOW_SECONDS * 2).exec()) as [[unknown, number]];
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

/**
 * Who a request counts against, and how many a minute it may send: each member and each API key
 * (`RATE_LIMIT_PER_MINUTE`), each anonymous client address (`RATE_LIMIT_ANONYMOUS_PER_MINUTE`, 0 for
 * none); admins are not limited.
 */
export function rateLimitFor(identity: Identity, apiKey: string | undefined, req: IncomingMessage, limits: RateLimits): { key: string; limit: number } | null {
  if (identity.kind === "member") return { key: `member:${identity.memberId}`, limit: limits.perCaller };
  // By a hash of the key (never the key itself): two keys of one partner count separately.
  if (identity.kind === "partner" && apiKey) return { key: `key:${hashApiKey(apiKey).slice(0, 32)}`, limit: limits.perCaller };
  if (identity.kind === "anonymous") return anonymousLimit(req, limits);
  return null;
}

/** The bucket of a request's client address (also charged for credentials refused: guessing keys is limited too). */
export function anonymousLimit(req: IncomingMessage, limits: RateLimits): { key: string; limit: number } | null {
  return limits.anonymous ? { key: `${ADDRESS_BUCKET}${addressBucket(clientAddress(req, limits.proxyHops))}`, limit: limits.anonymous } : null;
}

export type { RateLimits };

export const rateLimits = (): RateLimits => loadSettings(readRateLimits);

/**
 * The client's address: the socket's peer, unless `hops` trusted proxies stand in front, each
 * appending the address it received from to X-Forwarded-For; then the entry the outermost of them
 * wrote. Entries left of it are whatever the client sent (an attacker would rotate them), so they
 * are never read.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  const header = hops > 0 ? req.headers["x-forwarded-for"] : undefined;
  if (!header) return peer;
  const forwarded = (Array.isArray(header) ? header.join(",") : header).split(",").map((entry) => entry.trim()).filter(Boolean);
  if (!forwarded.length) return peer;
  return forwarded[Math.max(0, forwarded.length - hops)];
}

/** One bucket per IPv4 address, per IPv6 /64 (one host is usually given a whole /64 to rotate through). */
export function addressBucket(address: string): string {
  const bare = address.replace(/^\[(.*)\](?::\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1").replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
  if (!isIPv6(bare)) return bare.slice(0, 64);
  const [head, tail = ""] = bare.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = bare.includes("::") && tail ? tail.split(":") : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((group) => group.padStart(4, "0")).join(":")}::/64`;
}

export function rateLimited(retryAfter: number): GraphQLError {
  return new GraphQLError(`Too many requests; retry in ${retryAfter} s`, {
    extensions: { code: "RATE_LIMITED", retryAfter, http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) } },
  });
}

export function createRateLimiter(log: Logger, limit: number, redisUrl = process.env.REDIS_URL): RateLimiter {
  if (!redisUrl) return memoryRateLimiter(limit);
  // Fails fast when Redis is away: requests then pass (see above).
  return redisRateLimiter(connectRedis(redisUrl, log), limit, log);
}
