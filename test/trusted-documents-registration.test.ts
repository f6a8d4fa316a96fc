import { gatewayUrl } from "./support/gateway";

describe("trusted-document registration (outside review)", () => {
  it("PUT /trusted-documents/<name> refuses an anonymous caller before reading and parsing its (up to 5 MB) body", async () => {
    const url = new URL("/trusted-documents/probe", gatewayUrl());
    const notJson = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{" + "x".repeat(1_000_000) });
    expect(notJson.status).toBe(401);
    const big = await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: "x".repeat(6_000_000) }) });
    expect(big.status).toBe(401);
  }, 60_000);
});
