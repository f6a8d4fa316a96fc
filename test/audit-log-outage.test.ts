import { once } from "node:events";
import { postGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";

const AUDIT = `query { auditLog(first: 5) { edges { node { service action } } } }`;
const INSIGHTS = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { insights(from: $from, to: $to) { linkedMembers } } }`;

describe("auditLog and insights with a service down", () => {
  const dedicated = useDedicatedStack("audit_outage");
  const call = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());

  it("answer UPSTREAM_UNAVAILABLE at once, never a page with a service's lines missing, and recover when it is back", async () => {
    const registered = await call(`mutation { registerPartner(input: { slug: "outage", name: "Outage", category: FUEL, pointsPerUnit: 1, currency: "EUR" }) { id } }`);
    const partnerId = registered.data!.registerPartner.id;
    expect((await call(AUDIT)).data!.auditLog.edges).toEqual([{ node: { service: "partners", action: "REGISTER_PARTNER" } }]);

    dedicated.stack.services.catalog.child.kill("SIGKILL");
    await once(dedicated.stack.services.catalog.child, "exit");
    const started = Date.now();
    const down = await call(AUDIT);
    expect(down.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    expect(Date.now() - started).toBeLessThan(5_000);
    await dedicated.stack.restart("catalog");
    expect((await call(AUDIT)).data!.auditLog.edges).toHaveLength(1);

    dedicated.stack.services.members.child.kill("SIGKILL");
    await once(dedicated.stack.services.members.child, "exit");
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString();
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const insights = await call(INSIGHTS, { id: partnerId, from, to });
    expect(insights.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    await dedicated.stack.restart("members");
    expect((await call(INSIGHTS, { id: partnerId, from, to })).data!.partner.insights).toEqual({ linkedMembers: null });
  }, 90_000);
});
