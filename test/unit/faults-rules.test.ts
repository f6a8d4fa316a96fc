import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import type { Fetcher } from "@apollo/utils.fetcher";
import { CircuitBreaker } from "../../shared/src/circuit-breaker";
import { breakerFetcher } from "../../gateway/src/subgraph-breaker";
import { serviceCallSettings } from "../../shared/src/circuit-breaker";
import { GuardedCalls, healthyAt } from "../../shared/src/guarded-calls";
import { AdmissionGate } from "../../shared/src/overload";
import { loadGatewayConfig } from "../../gateway/src/config";
import { healthUrlOf } from "../../shared/src/config";
import { statusForAnswer } from "../../gateway/src/upstream-status";
import { retryAction } from "../../subgraphs/catalog/src/redemption/redemption-retry";

/** Load shedding, the circuit breaker and the retryable status, with times and counts worked out by hand. */
describe("AdmissionGate", () => {
  const limits = { maxInFlight: 2, maxQueued: 1, queueTimeoutMs: 50, retryAfterSeconds: 1 };

  it("admits 2, queues 1, sheds the 4th at once; a release lets the queued one in", async () => {
    const gate = new AdmissionGate(limits);
    const first = gate.enter();
    const second = gate.enter();
    expect(typeof first).toBe("function");
    expect(typeof second).toBe("function");
    const third = gate.enter();
    expect(third).toBeInstanceOf(Promise);
    expect(gate.enter()).toBe("queue_full");
    (first as () => void)();
    const admitted = await third;
    expect(typeof admitted).toBe("function");
    expect(gate.running).toBe(2);
    (admitted as () => void)();
    (admitted as () => void)(); // a second release changes nothing
    expect(gate.running).toBe(1);
  });

  it("the control lane: 8 admitted past full slots, queue and pool; the 9th waits like any other; a release frees its place", () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 1, maxQueued: 0, saturated: () => true });
    expect(gate.enter()).toBe("pool_full"); // an ordinary request: refused
    const control = Array.from({ length: 8 }, () => gate.enterControl());
    for (const admitted of control) expect(typeof admitted).toBe("function");
    expect(gate.running).toBe(0); // they take none of the ordinary slots
    expect(gate.enterControl()).toBe("pool_full"); // the 9th: as an ordinary request
    (control[0] as () => void)();
    (control[0] as () => void)(); // a second release changes nothing
    expect(typeof gate.enterControl()).toBe("function");
    expect(gate.enterControl()).toBe("pool_full");
  });

  it("a request queued longer than queueTimeoutMs is shed", async () => {
    const gate = new AdmissionGate(limits);
    gate.enter();
    gate.enter();
    await expect(gate.enter()).resolves.toBe("queue_timeout");
    expect(gate.running).toBe(2);
  });

  /** A client's socket as the gate sees it: closing it marks it destroyed, then emits "close" on a later tick, as Node does. */
  const connection = () => {
    const socket = Object.assign(new EventEmitter(), { destroyed: false });
    const close = () => {
      socket.destroyed = true;
      setImmediate(() => socket.emit("close"));
    };
    return { socket, close };
  };

  it("a queued request whose client closes its connection leaves the queue: its place goes to the next, it never runs", async () => {
    const gate = new AdmissionGate({ ...limits, maxQueued: 2, queueTimeoutMs: 5_000 });
    const first = gate.enter() as () => void;
    gate.enter();
    const a = connection();
    const b = connection();
    const queuedA = gate.enter(a.socket);
    const queuedB = gate.enter(b.socket);
    expect(gate.queued).toBe(2);
    a.close();
    await expect(queuedA).resolves.toBe("abandoned");
    expect(gate.queued).toBe(1);
    expect(a.socket.listenerCount("close")).toBe(0);
    // The queue has room again: a third waits (a full queue of 2 would have refused it).
    const third = gate.enter();
    expect(third).toBeInstanceOf(Promise);
    first();
    const admittedB = await queuedB;
    expect(typeof admittedB).toBe("function");
    expect(b.socket.listenerCount("close")).toBe(0); // admitted: its connection is no longer watched
    expect(gate.running).toBe(2);
    (admittedB as () => void)();
    expect(typeof (await third)).toBe("function");
    expect(gate.queued).toBe(0);
  });

  it("a slot freed before the close event arrives skips the closed client's request for the next one", async () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 1, maxQueued: 2, queueTimeoutMs: 5_000 });
    const first = gate.enter() as () => void;
    const a = connection();
    const queuedA = gate.enter(a.socket);
    const queuedB = gate.enter(connection().socket);
    a.close(); // destroyed now, "close" not delivered yet
    first();
    await expect(queuedA).resolves.toBe("abandoned");
    expect(typeof (await queuedB)).toBe("function");
    expect(gate.running).toBe(1);
    expect(gate.queued).toBe(0);
  });

  it("a batch takes a slot per operation, at most all 4 (it then runs alone), and waits its turn: no request overtakes it", async () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 4, maxQueued: 3, queueTimeoutMs: 5_000 });
    const batchOf3 = gate.enter(undefined, 3) as () => void;
    const single = gate.enter() as () => void;
    expect(gate.running).toBe(4); // 3 + 1
    const batchOf2 = gate.enter(undefined, 2);
    expect(batchOf2).toBeInstanceOf(Promise);
    single();
    expect(gate.running).toBe(3); // 3 running + 2 waiting would be 5 > 4: the batch still waits
    const late = gate.enter(); // a slot is free, but the batch came first
    expect(late).toBeInstanceOf(Promise);
    expect(gate.queued).toBe(2);
    batchOf3();
    const admittedBatch = (await batchOf2) as () => void;
    const admittedLate = (await late) as () => void;
    expect(gate.running).toBe(3); // 2 + 1
    expect(gate.queued).toBe(0);
    admittedBatch();
    admittedLate();
    expect(gate.running).toBe(0);
    const batchOf10 = gate.enter(undefined, 10) as () => void;
    expect(gate.running).toBe(4); // capped at every slot
    expect(gate.enter()).toBeInstanceOf(Promise);
    batchOf10();
    expect(gate.running).toBe(1);
  });

  it("maxInFlight 0 admits everything", () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 0 });
    for (let i = 0; i < 10; i++) expect(typeof gate.enter()).toBe("function");
  });
});

describe("CircuitBreaker", () => {
  const settings = { failuresToOpen: 3, openMs: 1_000, stallMs: 500 };

  it("opens after 3 failures in a row, refuses for 1 s, lets one probe through, closes on its success", () => {
    const breaker = new CircuitBreaker(settings);
    for (const t of [0, 10, 20]) {
      expect(breaker.tryStart(t)).toBe(true);
      breaker.failed(t + 1);
    }
    expect(breaker.state(22)).toBe("open");
    expect(breaker.tryStart(500)).toBe(false);
    expect(breaker.tryStart(1_020)).toBe(false); // opened at 21 (the third failure): 999 ms
    expect(breaker.tryStart(1_021)).toBe(true); // 1 000 ms after opening: the probe
    expect(breaker.tryStart(1_022)).toBe(false); // only one probe at a time
    breaker.succeeded(1_030);
    expect(breaker.state(1_031)).toBe("closed");
    expect(breaker.tryStart(1_032)).toBe(true);
  });

  it("a success resets the count: 2 failures, a success, 2 failures stay closed", () => {
    const breaker = new CircuitBreaker(settings);
    for (const outcome of ["failed", "failed", "succeeded", "failed", "failed"] as const) {
      breaker.tryStart(0);
      breaker[outcome](1);
    }
    expect(breaker.state(2)).toBe("closed");
  });

  it("a failed probe opens it again for another openMs", () => {
    const breaker = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) {
      breaker.tryStart(0);
      breaker.failed(0);
    }
    expect(breaker.tryStart(1_000)).toBe(true);
    breaker.failed(1_100);
    expect(breaker.tryStart(2_099)).toBe(false);
    expect(breaker.tryStart(2_100)).toBe(true);
  });

  it("opens when calls wait and nothing comes back for stallMs (a frozen service)", () => {
    const breaker = new CircuitBreaker(settings);
    expect(breaker.tryStart(0)).toBe(true);
    expect(breaker.tryStart(100)).toBe(true);
    expect(breaker.state(499)).toBe("closed");
    expect(breaker.tryStart(500)).toBe(false); // 500 ms since the first call, no answer
  });

  it("a probe that hangs opens it again after stallMs (a service still frozen), and the next probe may try", () => {
    const breaker = new CircuitBreaker(settings);
    breaker.tryStart(0);
    expect(breaker.state(500)).toBe("open"); // stalled at 500
    breaker.tryStart(1_200); // refused while open
    expect(breaker.tryStart(1_500)).toBe(true); // the probe, 1 000 ms after opening (the first call still hangs)
    expect(breaker.state(1_999)).toBe("half-open"); // 499 ms since the probe started
    expect(breaker.state(2_000)).toBe("open"); // 500 ms: stalled again; its caller aborts it (subgraph-breaker.ts)
    breaker.failed(2_001); // the aborted probe
    breaker.failed(2_002); // the first call, aborted too
    expect(breaker.tryStart(2_999)).toBe(false); // open again from 2 000 (the stall)
    expect(breaker.tryStart(3_000)).toBe(true); // the next probe
    breaker.succeeded(3_050);
    expect(breaker.state(3_051)).toBe("closed");
  });

  it("a health check answered while calls wait restarts the stall window; with no call waiting it is nothing", () => {
    const breaker = new CircuitBreaker(settings);
    breaker.heardFrom(100); // nothing waits: ignored
    breaker.tryStart(200);
    expect(breaker.silentFor(450)).toBe(250);
    breaker.heardFrom(450); // the service answered its health check at 450
    expect(breaker.silentFor(451)).toBe(1);
    expect(breaker.state(949)).toBe("closed"); // 499 ms since it was heard from
    expect(breaker.state(950)).toBe("open"); // 500 ms: stalled
    expect(new CircuitBreaker(settings).silentFor(1_000)).toBe(0);
  });

  it("a call abandoned (cut short by its caller's deadline) counts neither way: 2 failures, 5 abandoned, 1 failure: 3 in a row, open", () => {
    const breaker = new CircuitBreaker(settings);
    for (const t of [0, 1]) {
      breaker.tryStart(t);
      breaker.failed(t);
    }
    for (let t = 2; t < 7; t++) {
      breaker.tryStart(t);
      breaker.abandoned();
    }
    expect(breaker.state(7)).toBe("closed");
    expect(breaker.silentFor(7)).toBe(0); // none waits any more
    breaker.tryStart(8);
    breaker.failed(8);
    expect(breaker.state(9)).toBe("open");
  });

  it("an abandoned probe leaves it half-open: the next call probes", () => {
    const breaker = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) {
      breaker.tryStart(0);
      breaker.failed(0);
    }
    expect(breaker.tryStart(1_000)).toBe(true); // the probe
    expect(breaker.tryStart(1_001)).toBe(false);
    breaker.abandoned();
    expect(breaker.state(1_002)).toBe("half-open");
    expect(breaker.tryStart(1_002)).toBe(true); // the next probe
    breaker.succeeded(1_010);
    expect(breaker.state(1_011)).toBe("closed");
  });

  it("an abandoned call is not progress: a call still waiting since 0 stalls at 500", () => {
    const breaker = new CircuitBreaker(settings);
    breaker.tryStart(0); // frozen
    breaker.tryStart(100);
    breaker.abandoned(); // at 300, cut short
    expect(breaker.state(499)).toBe("closed");
    expect(breaker.state(500)).toBe("open");
  });

  it("a slow call alone is not a stall while other calls come back", () => {
    const breaker = new CircuitBreaker(settings);
    breaker.tryStart(0); // slow
    breaker.tryStart(300);
    breaker.succeeded(400);
    expect(breaker.state(899)).toBe("closed");
    expect(breaker.state(900)).toBe("open");
  });
});

describe("statusForAnswer", () => {
  const upstream = { message: "x", extensions: { code: "UPSTREAM_UNAVAILABLE" } };
  it("503 only with no data and every error UPSTREAM_UNAVAILABLE", () => {
    expect(statusForAnswer(null, [upstream])).toBe(503);
    expect(statusForAnswer(undefined, [upstream, upstream])).toBe(503);
    expect(statusForAnswer({ member: { balance: null } }, [upstream])).toBeUndefined();
    // Every top-level field null: nothing to say, as with no data.
    expect(statusForAnswer({ member: null }, [upstream])).toBe(503);
    expect(statusForAnswer({ member: null, partners: [] }, [upstream])).toBeUndefined();
    expect(statusForAnswer({ member: null }, [{ message: "y", extensions: { code: "NOT_FOUND" } }])).toBeUndefined();
    expect(statusForAnswer(null, [upstream, { message: "y", extensions: { code: "NOT_FOUND" } }])).toBeUndefined();
    expect(statusForAnswer(null, [])).toBeUndefined();
  });
});

describe("timeouts along a path", () => {
  const secrets = { JWT_SECRET: "j".repeat(32), GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32) };
  it("the gateway waits 25 s by default, more than 6 service calls of 4 s", () => {
    expect(loadGatewayConfig(secrets).subgraphTimeoutMs).toBe(25_000);
  });
  it("refuses a gateway timeout not longer than 6 × SERVICE_CALL_TIMEOUT_MS", () => {
    expect(() => loadGatewayConfig({ ...secrets, SUBGRAPH_TIMEOUT_MS: "24000" })).toThrow(/SUBGRAPH_TIMEOUT_MS \(24000\) must be more than 6 × SERVICE_CALL_TIMEOUT_MS \(24000\)/);
    expect(loadGatewayConfig({ ...secrets, SUBGRAPH_TIMEOUT_MS: "10000", SERVICE_CALL_TIMEOUT_MS: "1666" }).subgraphTimeoutMs).toBe(10_000); // 6 × 1,666 = 9,996
  });
});

describe("healthUrlOf", () => {
  it("is /health beside /graphql", () => {
    expect(healthUrlOf("http://localhost:4004/graphql")).toBe("http://localhost:4004/health");
    expect(healthUrlOf("http://ledger:8080/api/graphql?x=1")).toBe("http://ledger:8080/api/health");
  });
});

describe("retryAction (a redemption key retried)", () => {
  const now = new Date("2026-11-30T12:00:30Z");
  const at = (iso: string) => new Date(iso);
  it("redeems again after a transient failure, never after a business one", () => {
    for (const reason of ["UPSTREAM_UNAVAILABLE", "INTERRUPTED", "OVERLOADED", "INTERNAL_SERVER_ERROR", null]) {
      expect(retryAction({ status: "FAILED", failureReason: reason, updatedAt: now }, now, 30)).toBe("redeem-again");
    }
    for (const reason of ["INSUFFICIENT_POINTS", "OUT_OF_STOCK", "NOT_ELIGIBLE", "HOLD_RELEASED"]) {
      expect(retryAction({ status: "FAILED", failureReason: reason, updatedAt: now }, now, 30)).toBe("replay");
    }
  });
  it("settles a PENDING one first once it is 30 s old (the recovery delay), not at 29.999 s", () => {
    expect(retryAction({ status: "PENDING", failureReason: null, updatedAt: at("2026-11-30T12:00:00Z") }, now, 30)).toBe("settle-then-decide");
    expect(retryAction({ status: "PENDING", failureReason: null, updatedAt: at("2026-11-30T12:00:00.001Z") }, now, 30)).toBe("replay");
  });
  it("replays COMPLETED and CANCELLED", () => {
    expect(retryAction({ status: "COMPLETED", failureReason: null, updatedAt: at("2026-01-01T00:00:00Z") }, now, 30)).toBe("replay");
    expect(retryAction({ status: "CANCELLED", failureReason: null, updatedAt: at("2026-01-01T00:00:00Z") }, now, 30)).toBe("replay");
  });
});

describe("breakerFetcher (the gateway's calls to one subgraph)", () => {
  // A subgraph that never answers (SIGSTOP): the call ends only when its signal aborts it.
  const frozen = (async (_url: string, init: { signal?: AbortSignal } = {}) =>
    new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(init.signal!.reason)))) as unknown as Fetcher;

  it("aborts calls waiting on a stalled subgraph after about stallMs, and refuses new ones at once", async () => {
    // Port 9 refuses connections: its health check fails as well.
    const fetcher = breakerFetcher(frozen, "ledger", "http://127.0.0.1:9/graphql", { failuresToOpen: 5, openMs: 10_000, stallMs: 200 });
    const started = performance.now();
    await expect(fetcher("http://ledger/graphql", {})).rejects.toThrow("circuit open: ledger is not answering");
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(1_000);
    const refused = performance.now();
    await expect(fetcher("http://ledger/graphql", {})).rejects.toThrow("circuit open");
    expect(performance.now() - refused).toBeLessThan(50);
  });
});

describe("stall windows nest: a service gives up on a frozen service it calls before the gateway takes it for frozen", () => {
  it("the catalog's calls to a frozen ledger end after 400 ms; the gateway's breaker on the catalog (600 ms) stays closed", async () => {
    const settings = { failuresToOpen: 5, openMs: 10_000, stallMs: 600 };
    expect(serviceCallSettings(settings).stallMs).toBe(400);
    const ledgerFromCatalog = new GuardedCalls("ledger", serviceCallSettings(settings));
    const catalogFromGateway = new GuardedCalls("catalog", settings);
    const frozenLedger = (signal: AbortSignal) => new Promise<never>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    // A redemption: the catalog waits on the ledger, then answers (an HTTP answer whose error is UPSTREAM_UNAVAILABLE).
    const redemption = () => catalogFromGateway.run(async () => (await ledgerFromCatalog.run(frozenLedger).catch(() => "UPSTREAM_UNAVAILABLE")) as string);
    const started = performance.now();
    expect(await Promise.all([redemption(), redemption()])).toEqual(["UPSTREAM_UNAVAILABLE", "UPSTREAM_UNAVAILABLE"]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    // Nothing came back from the catalog for 400-500 ms, under the gateway's 600: a catalog-only read still goes through.
    expect(await catalogFromGateway.run(async () => "read")).toBe("read");
    // While the ledger's breaker is open, the catalog's next call to it fails at once.
    const refused = performance.now();
    await expect(ledgerFromCatalog.run(frozenLedger)).rejects.toThrow("circuit open: ledger is not answering");
    expect(performance.now() - refused).toBeLessThan(50);
  });
});

describe("slow is not frozen: GuardedCalls asks a waiting service whether it works", () => {
  const settings = { failuresToOpen: 5, openMs: 10_000, stallMs: 200 };
  const answersAfter = (ms: number, value: string) => () => new Promise<string>((resolve) => setTimeout(() => resolve(value), ms));
  const never = (signal: AbortSignal) => new Promise<never>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));

  it("a call that takes 3 stall windows succeeds while the service answers its health checks, and the breaker stays closed", async () => {
    let checks = 0;
    const calls = new GuardedCalls("ledger", settings, async () => void checks++);
    expect(await calls.run(answersAfter(600, "slow but done"))).toBe("slow but done");
    // Checked once a third of 200 ms had passed with nothing back, then again each time the window neared: at least 3 times in 600 ms.
    expect(checks).toBeGreaterThanOrEqual(3);
    const next = performance.now();
    expect(await calls.run(async () => "next")).toBe("next");
    expect(performance.now() - next).toBeLessThan(50);
  });

  it("a service that does not answer its health check in time is taken for frozen after about stallMs, as without one", async () => {
    const calls = new GuardedCalls("ledger", settings, never);
    const started = performance.now();
    await expect(calls.run(never)).rejects.toThrow("circuit open: ledger is not answering");
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(1_000);
  });
});

describe("healthyAt (the check a waiting caller makes)", () => {
  it("resolves on a 200 from /health, rejects on a 503 (the service's database away) or no answer", async () => {
    let status = 200;
    const server = createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/health`;
    try {
      await expect(healthyAt(url)(AbortSignal.timeout(1_000))).resolves.toBeUndefined();
      status = 503;
      await expect(healthyAt(url)(AbortSignal.timeout(1_000))).rejects.toThrow(`${url} answered 503`);
      await expect(healthyAt("http://127.0.0.1:9/health")(AbortSignal.timeout(1_000))).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
