import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../../shared/src/logger";
import type { SharedCache } from "./entity-cache";

/** A Redis client that fails fast while Redis is away (callers then carry on without it) instead of queueing. */
export function connectRedis(url: string, log: Logger): Redis {
  const { Redis } = require("ioredis") as typeof import("ioredis");
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  redis.on("error", (error) => log.warn("redis", { error: error.message }));
  return redis;
}

/** Public entities in Redis, shared by every gateway process; an unreachable Redis is a cache miss. */
export function redisEntityCache(redis: Redis, log: Logger): SharedCache {
  let lastWarning = 0;
  const unavailable = (error: unknown) => {
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    log.warn("entity cache: redis unavailable, using memory only", { error: (error as Error).message });
  };
  // Hashed: the keys hold whole subgraph queries.
  const redisKey = (key: string) => `coalition:entity:${createHash("sha256").update(key).digest("base64url")}`;
  return {
    async getMany(keys) {
      try {
        return await redis.mget(keys.map(redisKey));
      } catch (error) {
        unavailable(error);
        return keys.map(() => null);
      }
    },
    async set(entries) {
      try {
        const batch = redis.multi();
        for (const { key, value, ttlMs } of entries) batch.set(redisKey(key), value, "PX", Math.max(1, Math.round(ttlMs)));
        await batch.exec();
      } catch (error) {
        unavailable(error);
      }
    },
  };
}
