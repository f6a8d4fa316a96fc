import { createHash } from "node:crypto";

/**
 * The one hash of a partner API key (SHA-256, hex): what the partners database stores (the key itself
 * is shown once and never kept), what the gateway looks a key up by and caches, and what rate limits
 * count a key under. A key never appears anywhere else, logs included.
 */
export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");
