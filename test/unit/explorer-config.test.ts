import { loadGatewayConfig } from "../../gateway/src/config";

const secrets = { GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32), JWT_SECRET: "j".repeat(32) };

describe("the explorer's configuration", () => {
  it("is on outside production, off in production (even with ENABLE_LANDING_PAGE, which keeps Apollo's page)", () => {
    expect(loadGatewayConfig({ ...secrets }).explorer).toBe(true);
    expect(loadGatewayConfig({ ...secrets, NODE_ENV: "test" }).explorer).toBe(true);
    expect(loadGatewayConfig({ ...secrets, NODE_ENV: "production", ENABLE_LANDING_PAGE: "1" })).toMatchObject({ explorer: false, landingPage: true });
  });

  it("offers demo tokens only from DEMO_TOKENS_FILE, which production refuses", () => {
    expect(loadGatewayConfig({ ...secrets }).demoTokensFile).toBeUndefined();
    expect(loadGatewayConfig({ ...secrets, DEMO_TOKENS_FILE: "/tmp/t.json" }).demoTokensFile).toBe("/tmp/t.json");
    expect(() => loadGatewayConfig({ ...secrets, NODE_ENV: "production", DEMO_TOKENS_FILE: "/tmp/t.json" })).toThrow(/DEMO_TOKENS_FILE is for development only/);
  });
});
