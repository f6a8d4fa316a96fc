import { composeSupergraph, staleFiles } from "../gateway/src/compose";

describe("supergraph", () => {
  it("the committed supergraph and subgraph schemas match a fresh composition", async () => {
    const composition = await composeSupergraph();
    expect(await staleFiles(composition)).toEqual([]);
    expect(composition.supergraph.sdl).toContain("join__graph(name: \"ledger\"");
  });
});
