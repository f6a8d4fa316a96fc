import pino from "pino";

/**
 * Structured JSON logs on stdout (stderr after `logToStderr()`), one line per event (pino): `{"level":"info","time":"…","pid":…,
 * "service":"gateway","message":"…",…fields}`. LOG_LEVEL: trace, debug, info (default), warn, error,
 * silent. Each request logs one `info` line; LOG_LEVEL=warn silences those.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

let root: pino.Logger | undefined;
let destination: 1 | 2 = 1;

/**
 * Sends this process's log lines to stderr instead: for a command whose stdout is its report (an
 * operator tool's verdict, a CSV export), where a "slow query" warning on a busy database would
 * otherwise land in the middle of it. Call before the first logger is made.
 */
export function logToStderr(): void {
  if (root && destination !== 2) throw new Error("logToStderr() must be called before any logger is made");
  destination = 2;
}

// One pino instance (and one output stream) per process; each service gets a child with its name.
function rootLogger(): pino.Logger {
  const configured = process.env.LOG_LEVEL || "info";
  const level = configured === "silent" || configured in pino.levels.values ? configured : "info";
  root ??= pino(
    {
      level,
      messageKey: "message",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError },
    },
    // Synchronous writes, as before: a line is out before the process exits or is killed.
    pino.destination({ dest: destination, sync: true }),
  );
  return root;
}

export function createLogger(service: string): Logger {
  const log = rootLogger().child({ service });
  // pino takes (fields, message); call sites keep (message, fields).
  return {
    debug: (message, fields) => (fields ? log.debug(fields, message) : log.debug(message)),
    info: (message, fields) => (fields ? log.info(fields, message) : log.info(message)),
    warn: (message, fields) => (fields ? log.warn(fields, message) : log.warn(message)),
    error: (message, fields) => (fields ? log.error(fields, message) : log.error(message)),
  };
}

/** Name, message, stack and code only: a driver error's other properties can hold query parameters. */
function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  return { name: value.name, message: value.message, stack: value.stack, ...(code !== undefined ? { code } : {}) };
}
