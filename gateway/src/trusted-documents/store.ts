import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../../shared/src/logger";
import { MANIFEST_NAME, ManifestError, parseManifest } from "./manifest";

/**
 * The trusted documents of every manifest in one folder (`*.json`, TRUSTED_DOCUMENTS_DIR). The folder
 * is the one store: an admin's registration writes a file there, and every gateway process (each
 * worker) polls the folder, so all of them see it within a poll. A manifest that is unreadable or has
 * a bad entry is refused whole and logged; the others still load, and a refused manifest that was
 * loaded before stays loaded until it is fixed or deleted.
 */
export class TrustedDocumentStore {
  private byHash = new Map<string, string>();
  private manifests = new Map<string, { signature: string; documents: Map<string, string> }>();
  /** Signature (size and mtime) of each manifest file refused as it is now: logged once, not at every poll. */
  private refused = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly log: Logger,
  ) {}

  /** The document with this hash, if a manifest holds it. */
  document(hash: string): string | undefined {
    return this.byHash.get(hash);
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Loads the folder now, then again every `pollMs` (0: never again). */
  async start(pollMs: number): Promise<void> {
    await this.reload();
    if (pollMs > 0) {
      this.timer = setInterval(() => void this.reload(), pollMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the manifests whose file changed (size and mtime), drops those deleted. One reload at a time. */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.readFolder());
    return this.loading;
  }

  /**
   * Writes (or replaces) the manifest `name` after checking every entry, atomically (a poll never
   * reads half a file), and loads it. Returns how many documents it holds.
   */
  async register(name: string, manifest: unknown): Promise<number> {
    if (!MANIFEST_NAME.test(name)) throw new ManifestError("a manifest's name is 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
    const documents = parseManifest(manifest, { graphqlOnly: true });
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${name}.json`);
    const temporary = join(this.dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(temporary, JSON.stringify(Object.fromEntries(documents), null, 2) + "\n");
    await rename(temporary, path);
    await this.reload();
    return documents.size;
  }

  /** Deletes the manifest `name`; false when there is none. */
  async unregister(name: string): Promise<boolean> {
    if (!MANIFEST_NAME.test(name)) return false;
    try {
      await unlink(join(this.dir, `${name}.json`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    await this.reload();
    return true;
  }

  private async readFolder(): Promise<void> {
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((file) => file.endsWith(".json") && MANIFEST_NAME.test(file.slice(0, -5)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.log.warn("trusted documents folder unreadable", { dir: this.dir, error: (error as Error).message });
      files = [];
    }
    let changed = false;
    const seen = new Set<string>();
    for (const file of files) {
      const name = file.slice(0, -5);
      seen.add(name);
      const path = join(this.dir, file);
      try {
        const info = await stat(path);
        const signature = `${info.size}:${info.mtimeMs}`;
        if (this.manifests.get(name)?.signature === signature || this.refused.get(name) === signature) continue;
        this.refused.set(name, signature);
        const documents = parseManifest(JSON.parse(await readFile(path, "utf8")));
        this.refused.delete(name);
        this.manifests.set(name, { signature, documents });
        changed = true;
        this.log.info("trusted documents loaded", { manifest: name, documents: documents.size });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // deleted meanwhile
        this.log.error("trusted documents manifest refused", { path, error: (error as Error).message });
      }
    }
    for (const name of [...this.manifests.keys()]) {
      if (seen.has(name)) continue;
      this.manifests.delete(name);
      changed = true;
      this.log.info("trusted documents unloaded", { manifest: name });
    }
    if (changed) {
      const byHash = new Map<string, string>();
      for (const { documents } of this.manifests.values()) for (const [hash, document] of documents) byHash.set(hash, document);
      this.byHash = byHash;
    }
  }
}
