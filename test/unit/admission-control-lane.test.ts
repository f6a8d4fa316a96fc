import { register } from "prom-client";
import { PROOF_HEADER } from "../../shared/src/auth/proof";
import { CONTROL_LANE, CONTROL_LANE_HEADER } from "../../shared/src/overload";
import { useHoldingServer } from "../support/holding-server";

/**
 * The control lane through a real HTTP server (shared/src/http-server.ts): one slot, no queue, held on
 * purpose by a request that waits; a service's control requests still get in (8 at once, the 9th is an
 * ordinary request), and the header means nothing with a client's identity.
 */
describe("admission: the control lane", () => {
  const server = useHoldingServer({ maxInFlight: 1, maxQueued: 0, queueTimeoutMs: 5_000, retryAfterSeconds: 1 });
  const { serviceProof: service, adminProof: admin } = server;

  const post = async (proof: string, lane: boolean, wait: boolean) => {
    const response = await fetch(server.url(), {
      method: "POST",
      headers: { "content-type": "application/json", [PROOF_HEADER]: proof, ...(lane ? { [CONTROL_LANE_HEADER]: CONTROL_LANE } : {}) },
      body: JSON.stringify({ query: `{ run(wait: ${wait}) }` }),
    });
    return response.status;
  };
  const metric = async (name: string) => (await register.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 250 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(condition()).toBe(true);
  };

  it("past a full slot: a service's control requests run, 8 at once; an ordinary one and a client's claim of the lane are shed", async () => {
    const holder = post(service, false, true);
    await until(() => server.waiting() === 1); // the one slot is taken
    expect(await post(service, false, false)).toBe(503);
    expect(await post(admin, true, false)).toBe(503); // a client's identity: the header means nothing
    expect(await post(service, true, false)).toBe(200); // the lane: in at once
    const control = Array.from({ length: 8 }, () => post(service, true, true));
    await until(() => server.waiting() === 9); // all 8 running beside the holder
    expect(await metric("coalition_control_requests_in_flight")).toBe(8);
    expect(await metric("coalition_requests_in_flight")).toBe(1); // the holder alone: the lane is apart
    const fullBefore = await metric("coalition_control_lane_full_total");
    expect(await post(service, true, false)).toBe(503); // a 9th: an ordinary request, and the slot is taken
    expect(await metric("coalition_control_lane_full_total")).toBe(fullBefore + 1);
    server.release();
    expect(await Promise.all([holder, ...control])).toEqual(Array.from({ length: 9 }, () => 200));
    expect(await metric("coalition_control_requests_in_flight")).toBe(0);
  });
});
