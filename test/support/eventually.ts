/**
 * Waits for something written after a response (a log line, a span, a metric, a cache entry): runs
 * `check` until it neither throws nor returns undefined, or the deadline passes; then its last error
 * (an expect() failure, with its diff) fails the test. Never assume such a thing is already there.
 */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await check();
      if (value !== undefined) return value;
      failure = new Error(`Still nothing after ${timeoutMs} ms`);
    } catch (error) {
      failure = error;
    }
    if (Date.now() > until) throw failure;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
