import fs from "node:fs";

/**
 * shared/src/logger.ts: a service's lines go to stdout; a command whose stdout is its report (the
 * ledger's tools, the seed) calls logToStderr() first, so a warning (a slow query) cannot land in the
 * report. Each case loads the module afresh: the destination is fixed when the first logger is made.
 */
type LoggerModule = typeof import("../../shared/src/logger");

function freshLogger(): LoggerModule {
  let loaded: LoggerModule | undefined;
  jest.isolateModules(() => {
    loaded = require("../../shared/src/logger");
  });
  return loaded!;
}

/** The file descriptors the logger wrote its lines to (pino's synchronous destination writes with fs.writeSync). */
function descriptorsWrittenBy(work: () => void): number[] {
  const written: number[] = [];
  const spy = jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, data: string | Uint8Array) => {
    written.push(fd);
    return typeof data === "string" ? Buffer.byteLength(data) : data.length;
  }) as typeof fs.writeSync);
  try {
    work();
  } finally {
    spy.mockRestore();
  }
  return written;
}

describe("where log lines go", () => {
  it("stdout by default", () => {
    const { createLogger } = freshLogger();
    expect(descriptorsWrittenBy(() => createLogger("service").warn("slow query", { ms: 1035 }))).toEqual([1]);
  });

  it("stderr after logToStderr()", () => {
    const { createLogger, logToStderr } = freshLogger();
    logToStderr();
    expect(descriptorsWrittenBy(() => createLogger("ledger-tools").warn("slow query", { ms: 1035 }))).toEqual([2]);
  });

  it("logToStderr() after a logger was made is refused, not half applied", () => {
    const { createLogger, logToStderr } = freshLogger();
    createLogger("service");
    expect(() => logToStderr()).toThrow("logToStderr() must be called before any logger is made");
  });
});
