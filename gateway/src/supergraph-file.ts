import { unwatchFile, watchFile } from "node:fs";
import { readFile } from "node:fs/promises";
import type { SupergraphManager } from "@apollo/gateway";
import type { Logger } from "../../shared/src/logger";

/**
 * The supergraph from a file, reloaded when the file changes (polled: an editor or a deploy that
 * replaces the file is seen too). The gateway swaps plans between requests, so none is dropped; a
 * file that does not compose into a gateway schema is refused and the current supergraph stays.
 */
export function supergraphFromFile(path: string, log: Logger, intervalMs = 1000): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = await readFile(path, "utf8");
      const reload = async () => {
        let next: string;
        try {
          next = await readFile(path, "utf8");
        } catch (error) {
          log.warn("supergraph file unreadable; keeping the current supergraph", { path, error: (error as Error).message });
          return;
        }
        if (next === current) return;
        current = next;
        try {
          update(next);
          log.info("supergraph reloaded", { path });
        } catch (error) {
          log.error("new supergraph refused; keeping the current one", { path, error: (error as Error).message });
        }
      };
      watchFile(path, { interval: intervalMs }, () => void reload());
      return { supergraphSdl: current, cleanup: async () => unwatchFile(path) };
    },
  };
}
