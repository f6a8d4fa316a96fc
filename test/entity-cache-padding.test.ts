import { createReward, registerPartner } from "./support/fixtures";
import { anonymous, ok, sqlStatements } from "./support/gateway";

/**
 * Anyone shapes the subgraph queries the entity cache keys on: an alias is passed through to the
 * partners subgraph's `_entities` query and echoed in its answer. A 90,000-character alias, sent
 * anonymously, made one entry of some 180,000 characters (key and value), 10,000 of which
 * (the count bound) are 1.8 GB per gateway process, and the same again in Redis for every request.
 */
describe("the entity cache does not keep entries padded by a client", () => {
  it("answers a padded selection from the subgraph, and does not keep it", async () => {
    const partner = await registerPartner({ name: "Padded Brand" });
    await createReward(partner.id);
    const alias = `a${"x".repeat(90_000)}`;
    const PADDED = `query($partnerId: ID!) { rewards(partnerId: $partnerId) { partner { ${alias}: name } } }`;
    const partnersStatements = async (run: () => Promise<unknown>) => {
      const before = await sqlStatements("partners");
      await run();
      return (await sqlStatements("partners")) - before;
    };
    const ask = async () => expect((await ok(PADDED, { partnerId: partner.id }, anonymous)).rewards[0].partner[alias]).toBe("Padded Brand");
    await ask();
    expect(await partnersStatements(ask)).toBeGreaterThan(0);
  });

  it("still keeps ordinary public entities", async () => {
    const partner = await registerPartner({ name: "Plain Brand" });
    await createReward(partner.id);
    const PLAIN = `query($partnerId: ID!) { rewards(partnerId: $partnerId) { partner { name } } }`;
    await ok(PLAIN, { partnerId: partner.id }, anonymous);
    const before = await sqlStatements("partners");
    expect(await ok(PLAIN, { partnerId: partner.id }, anonymous)).toEqual({ rewards: [{ partner: { name: "Plain Brand" } }] });
    expect((await sqlStatements("partners")) - before).toBe(0);
  });
});
