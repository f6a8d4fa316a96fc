import { banner } from "../../tools/stack/banner";
import { apiSchema, typesSelectedWithoutId } from "../support/selected-ids";

/**
 * `npm start`'s banner (tools/stack/banner.ts). Its "Or try" curl is the first query a newcomer runs:
 * like every example of the README it selects the `id` of each object that has one (issue 19: "ids in
 * every example"; README, Frontend clients: "select it, as every example here does").
 */
describe("npm start's banner", () => {
  const printed = banner("http://localhost:4000/graphql", "admin.token", "member.token", 86_400);

  it("names the gateway, both tokens and the README's export lines", () => {
    expect(printed).toContain("export GATEWAY=http://localhost:4000/graphql\n");
    expect(printed).toContain("export ADMIN_TOKEN=admin.token\n");
    expect(printed).toContain("export MEMBER_TOKEN=member.token\n");
    expect(printed).toContain("(valid 24 h)");
  });

  it("its curl query selects the id of every object that has one", () => {
    const body = /-d '(\{.*\})'/.exec(printed)?.[1];
    expect(body).toBeDefined();
    const { query } = JSON.parse(body!) as { query: string };
    expect(query).toContain("memberByEmail");
    expect(typesSelectedWithoutId(apiSchema(), query)).toEqual([]);
  });
});
