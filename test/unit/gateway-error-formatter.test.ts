import { GraphQLError } from "graphql";
import { createGatewayErrorFormatter } from "../../gateway/src/gateway";
import { createLogger } from "../../shared/src/logger";

/**
 * The gateway's error formatter reads every message it answers, the client's own values quoted in
 * them included. Its patterns backtracked: a DateTimeISO variable of 5.9 KB repeating
 * `" got invalid value  Value "" does not exist in "` (an anonymous `partners { settlement(from: $f) }`)
 * held the gateway's event loop 5.6 s, every other request waiting (seen through the gateway), and the
 * time grew with the cube of the length (2 KB more, 24 s). Each check is now linear.
 */
const format = createGatewayErrorFormatter(createLogger("test"), { hideSuggestions: true });
const answer = (message: string, extensions: Record<string, unknown> = { code: "BAD_USER_INPUT" }) =>
  format({ message, extensions }, new GraphQLError(message, { extensions }));

describe("gateway error formatter", () => {
  it("reads crafted messages in a few milliseconds", () => {
    // 120 repetitions, 5.9 KB: about 6 s before (and 24 s at 200); kept small so that the old patterns end.
    const raw = '" got invalid value  Value "" does not exist in "'.repeat(120);
    const started = Date.now();
    answer(`Variable "$f" got invalid value ${JSON.stringify(raw)} at "f"; DateTime cannot represent an invalid date-time-string ${raw}.`);
    answer(`Value "${raw}`);
    answer(`Unknown ${"x Did you mean ".repeat(6_000)}`); // 84 KB: 0.5 s before, each "Did you mean" reading on to the end
    expect(Date.now() - started).toBeLessThan(1_000); // a few ms; room for a busy machine, far below the seconds before
  });

  it("still tells an unknown enum value (literal or variable) as BAD_USER_INPUT, and hides suggestions", () => {
    expect(answer(`Value "FUELL" does not exist in "PartnerCategory" enum. Did you mean the enum value "FUEL"?`, { code: "GRAPHQL_VALIDATION_FAILED" }))
      .toEqual({ message: `Value "FUELL" does not exist in "PartnerCategory" enum.`, extensions: { code: "BAD_USER_INPUT" } });
    expect(answer(`Variable "$input" got invalid value "X" at "input.category"; Value "X" does not exist in "PartnerCategory" enum.`, { code: "GRAPHQL_VALIDATION_FAILED" }).extensions)
      .toEqual({ code: "BAD_USER_INPUT" });
    expect(answer(`Cannot query field "nam" on type "Partner". Did you mean "name"? Or "slug"?`, { code: "GRAPHQL_VALIDATION_FAILED" }).message)
      .toBe(`Cannot query field "nam" on type "Partner". Or "slug"?`);
  });
});
