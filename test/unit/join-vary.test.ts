import { joinVary } from "../../shared/src/http-server";

describe("joinVary", () => {
  it("adds CORS's Origin to what the answer varies on, each name once whatever its case", () => {
    expect(joinVary("Origin, Authorization, X-Api-Key", "Origin")).toBe("Origin, Authorization, X-Api-Key");
    expect(joinVary("Authorization", "Origin")).toBe("Authorization, Origin");
    expect(joinVary(undefined, "Origin")).toBe("Origin");
    expect(joinVary("origin", "Origin")).toBe("Origin");
  });
});
