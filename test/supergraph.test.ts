import { composeSupergraph, staleFiles } from "../gateway/src/compose";

describe("supergraph", () => {
  it("the committed supergraph and subgraph schemas match a fresh composition", async () => {
    const composition = await composeSupergraph();
    expect(await staleFiles(composition)).toEqual([]);
    expect(composition.supergraph.sdl).toContain("join__graph(name: \"ledger\"");
    // gateway/schema.graphql is what clients see: public fields with their descriptions, no federation machinery.
    expect(composition.apiSchema.sdl).toContain("recordPurchase(");
    expect(composition.apiSchema.sdl).toContain('"""');
    expect(composition.apiSchema.sdl).not.toMatch(/join__|link__|@inaccessible|placeHold/);
  });
});
