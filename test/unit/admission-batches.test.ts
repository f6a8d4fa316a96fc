import { PROOF_HEADER } from "../../shared/src/auth/proof";
import { useHoldingServer } from "../support/holding-server";

/**
 * Batches through a real HTTP server (shared/src/http-server.ts): 3 slots and no queue, one held on
 * purpose by a request that waits. A batch of 2 fits the 2 slots left; a batch of 3 does not and is
 * shed (before, a batch took one slot whatever its length, so 10 operations ran in the place of one).
 */
describe("admission: a batch takes a slot per operation", () => {
  const server = useHoldingServer({ maxInFlight: 3, maxQueued: 0, queueTimeoutMs: 5_000, retryAfterSeconds: 1 }, { maxBatchOperations: 10 });

  const post = async (body: unknown) => {
    const response = await fetch(server.url(), { method: "POST", headers: { "content-type": "application/json", [PROOF_HEADER]: server.adminProof }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const operation = (wait: boolean) => ({ query: `{ run(wait: ${wait}) }` });

  it("with 1 of 3 slots taken: a batch of 3 is shed, a batch of 2 runs; with none taken, a batch of 10 runs alone", async () => {
    const holder = post(operation(true));
    for (let i = 0; i < 250 && server.waiting() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.waiting()).toBe(1);
    const shed = await post([operation(false), operation(false), operation(false)]);
    expect(shed.status).toBe(503);
    expect(shed.body.errors[0].extensions.code).toBe("OVERLOADED");
    expect(await post([operation(false), operation(false)])).toEqual({ status: 200, body: [{ data: { run: 1 } }, { data: { run: 1 } }] });
    server.release();
    expect((await holder).status).toBe(200);
    const ten = await post(Array.from({ length: 10 }, () => operation(false)));
    expect(ten.status).toBe(200);
    expect(ten.body).toHaveLength(10);
  });
});
