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

  describe("with no demo member (a database that was not empty at first start: seeded otherwise, or Ada erased)", () => {
    const withoutMember = banner("http://localhost:4000/graphql", "admin.token", null, 86_400);

    it("says so, sends no token that is not there, and leaves MEMBER_TOKEN unset", () => {
      // It printed `Bearer null` in its curl, and `export MEMBER_TOKEN=` (every member example then answered as anonymous).
      expect(withoutMember).not.toMatch(/null|undefined/);
      expect(withoutMember).not.toMatch(/Bearer \s*'/);
      expect(withoutMember).not.toContain("export MEMBER_TOKEN");
      expect(withoutMember).toContain("Demo member token:  none: this database has no member ada@example.com");
      expect(withoutMember).toContain("export ADMIN_TOKEN=admin.token\n");
    });

    it("its curl runs as the admin, a query any database answers, selecting ids", () => {
      expect(withoutMember).toContain("-H 'authorization: Bearer admin.token'");
      const { query } = JSON.parse(/-d '(\{.*\})'/.exec(withoutMember)![1]) as { query: string };
      expect(query).not.toContain("ada@example.com");
      expect(typesSelectedWithoutId(apiSchema(), query)).toEqual([]);
    });
  });
});
