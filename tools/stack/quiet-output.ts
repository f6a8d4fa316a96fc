import { Writable } from "node:stream";

/**
 * The services' output as `npm start` prints it. While the demo seed runs, the services' one-per-request
 * `request` lines (thousands of them) are treated as `debug`: shown only with LOG_LEVEL=debug or trace,
 * so a first start prints the seed's progress and the banner, not a screenful of JSON per second. Every
 * other line (warnings, errors, readiness) passes, and request lines pass again once the seed is done.
 */
export class QuietDuringSeed extends Writable {
  private quiet = false;
  private partial = "";
  private readonly showDebug: boolean;

  constructor(
    private readonly target: NodeJS.WritableStream,
    logLevel = process.env.LOG_LEVEL,
  ) {
    super();
    this.showDebug = logLevel === "debug" || logLevel === "trace";
  }

  /** While on, request lines are dropped (unless LOG_LEVEL is debug or trace). */
  setQuiet(on: boolean): void {
    this.quiet = on;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const lines = (this.partial + chunk.toString()).split("\n");
    this.partial = lines.pop() ?? "";
    const kept = lines.filter((line) => !(this.quiet && !this.showDebug && isRequestLine(line)));
    if (kept.length) this.target.write(kept.map((line) => `${line}\n`).join(""));
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.partial) this.target.write(`${this.partial}\n`);
    done();
  }
}

/** A service's per-request line (shared/src/request-observer.ts): level info, message "request". */
export function isRequestLine(line: string): boolean {
  if (!line.includes('"request"')) return false;
  try {
    const entry = JSON.parse(line) as { level?: unknown; message?: unknown };
    return entry.message === "request" && entry.level === "info";
  } catch {
    return false;
  }
}
