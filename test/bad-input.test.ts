import { enrollMember, headline, registerPartner } from "./support/fixtures";
import { asAdmin, fails, gatewayUrl, gql, ok, unique } from "./support/gateway";

const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`;
const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`;
const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`;
const MISSING = "00000000-0000-4000-8000-000000000000";

const partnerInput = (overrides: Record<string, unknown> = {}) => ({
  slug: unique("slug"), name: "Brand", category: "FUEL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0, ...overrides,
});

describe("bad input gets a clear error and writes nothing", () => {
  it("members: malformed and duplicate emails, empty names", async () => {
    const email = `${unique("dup")}@example.com`;
    await ok(ENROLL, { input: { email, displayName: "First" } });
    await fails(ENROLL, { input: { email: email.toUpperCase(), displayName: "Second" } }, "CONFLICT");
    for (const bad of ["not-an-email", "a@b", "two@@example.com", "spaces in@example.com", ""]) {
      await fails(ENROLL, { input: { email: bad, displayName: "X" } }, "BAD_USER_INPUT");
    }
    await fails(ENROLL, { input: { email: `${unique("x")}@example.com`, displayName: "  " } }, "BAD_USER_INPUT");
    const { memberByEmail } = await ok(`{ memberByEmail(email: "not-an-email@nowhere.example") { id } }`);
    expect(memberByEmail).toBeNull();
    await fails(`{ memberByEmail(email: "nope") { id } }`, {}, "BAD_USER_INPUT");
  });

  it("partners: duplicate slug, bad slug, currency, rate and window", async () => {
    const input = partnerInput();
    await ok(REGISTER, { input });
    await fails(REGISTER, { input: { ...input, name: "Other" } }, "CONFLICT");
    for (const overrides of [
      { slug: "Not A Slug" }, { slug: "-x" }, { currency: "EURO" }, { currency: "XYZ" },
      { pointsPerUnit: 0 }, { pointsPerUnit: -1 }, { pointsPerUnit: 1.23456 }, { returnWindowDays: -1 }, { returnWindowDays: 400 }, { name: "" },
      // Above 0 but 0 at 4 decimals: it reached the database's check and answered INTERNAL_SERVER_ERROR.
      { pointsPerUnit: 1e-300 }, { pointsPerUnit: 5e-324 }, { pointsPerUnit: 1e-11 },
    ]) {
      await fails(REGISTER, { input: partnerInput(overrides) }, "BAD_USER_INPUT");
    }
    const { partners } = await ok(`{ partners { slug } }`);
    expect(partners.filter((p: { slug: string }) => p.slug === input.slug)).toHaveLength(1);
  });

  it("unknown enum values, in variables and in the query text", async () => {
    await fails(REGISTER, { input: partnerInput({ category: "SPACESHIP" }) }, "BAD_USER_INPUT");
    await fails(`mutation { registerPartner(input: { slug: "x-y", name: "X", category: SPACESHIP, pointsPerUnit: 1, currency: "EUR" }) { id } }`, {}, "BAD_USER_INPUT");
  });

  it("links: unknown member or partner, a second account id for the same pair", async () => {
    const member = await enrollMember();
    const partner = await registerPartner();
    await fails(LINK, { input: { memberId: MISSING, partnerId: partner.id, externalId: "A" } }, "NOT_FOUND");
    await fails(LINK, { input: { memberId: member.id, partnerId: MISSING, externalId: "A" } }, "NOT_FOUND");
    await fails(LINK, { input: { memberId: "42", partnerId: partner.id, externalId: "A" } }, "BAD_USER_INPUT");
    await ok(LINK, { input: { memberId: member.id, partnerId: partner.id, externalId: "CARD-1" } });
    await ok(LINK, { input: { memberId: member.id, partnerId: partner.id, externalId: "CARD-1" } }); // same link again: fine
    await fails(LINK, { input: { memberId: member.id, partnerId: partner.id, externalId: "CARD-2" } }, "CONFLICT");
    const other = await enrollMember();
    await fails(LINK, { input: { memberId: other.id, partnerId: partner.id, externalId: "CARD-1" } }, "CONFLICT");
  });

  it("purchases: amounts, currency, unknown ids", async () => {
    const partner = await registerPartner({ currency: "EUR" });
    const member = await enrollMember();
    const input = (overrides: Record<string, unknown>) => ({ partnerId: partner.id, memberId: member.id, amountMinor: 1_000, currency: "EUR", reference: unique("r"), ...overrides });
    for (const amountMinor of [0, -500, 100_000_001]) await fails(RECORD, { input: input({ amountMinor }) }, "BAD_USER_INPUT");
    await fails(RECORD, { input: input({ amountMinor: 12.5 }) }, "BAD_USER_INPUT"); // not an Int
    await fails(RECORD, { input: input({ currency: "USD" }) }, "BAD_USER_INPUT");
    await fails(RECORD, { input: input({ reference: "" }) }, "BAD_USER_INPUT");
    await fails(RECORD, { input: input({ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }) }, "BAD_USER_INPUT");
    await fails(RECORD, { input: input({ memberId: MISSING }) }, "NOT_FOUND");
    await fails(RECORD, { input: input({ partnerId: MISSING }) }, "NOT_FOUND");
    await fails(RECORD, { input: input({ partnerId: "nope" }) }, "BAD_USER_INPUT");
    const { balance } = await headline(member.id);
    expect(balance).toMatchObject({ available: 0, lifetimeEarned: 0, byPartner: [] });
  });

  it("rewards: cost, stock, title, validity, unknown partner", async () => {
    const partner = await registerPartner();
    const input = (overrides: Record<string, unknown>) => ({ partnerId: partner.id, title: "T", description: "D", costPoints: 10, minimumTier: "BASE", ...overrides });
    for (const overrides of [
      { costPoints: 0 }, { costPoints: -10 }, { stock: -1 }, { title: "" },
      { validFrom: "2026-01-02T00:00:00Z", validUntil: "2026-01-01T00:00:00Z" }, { minimumTier: "DIAMOND" },
    ]) {
      await fails(CREATE_REWARD, { input: input(overrides) }, "BAD_USER_INPUT");
    }
    await fails(CREATE_REWARD, { input: input({ partnerId: MISSING }) }, "NOT_FOUND");
    const { partner: found } = await ok(`query($id: ID!) { partner(id: $id) { rewards { id } } }`, { id: partner.id });
    expect(found.rewards).toEqual([]);
  });

  it("redemptions and lookups: unknown and malformed ids", async () => {
    const member = await enrollMember();
    await fails(REDEEM, { input: { memberId: member.id, rewardId: MISSING, idempotencyKey: "k" } }, "NOT_FOUND");
    await fails(REDEEM, { input: { memberId: member.id, rewardId: "bogus", idempotencyKey: "k" } }, "BAD_USER_INPUT");
    await fails(REDEEM, { input: { memberId: member.id, rewardId: MISSING, idempotencyKey: "" } }, "BAD_USER_INPUT");
    const { member: nobody, partner, reward } = await ok(`query($id: ID!) { member(id: $id) { id } partner(id: $id) { id } reward(id: $id) { id } }`, { id: MISSING });
    expect([nobody, partner, reward]).toEqual([null, null, null]);
    await fails(`{ member(id: "x") { id } }`, {}, "BAD_USER_INPUT");
    await fails(`{ members(first: 0) { id } }`, {}, "BAD_USER_INPUT");
    await fails(`{ members(first: 101) { id } }`, {}, "BAD_USER_INPUT");
    // An empty cursor names no member: it was taken for no cursor, the first page.
    const emptyCursor = await fails(`{ members(first: 1, after: "") { id } }`, {}, "BAD_USER_INPUT");
    expect(emptyCursor.extensions?.field).toBe("after");
  });

  it("a huge value is quoted in its error cut to its first 100 characters and its length", async () => {
    const email = `${"a".repeat(99_000)}@example`;
    const error = await fails(ENROLL, { input: { email, displayName: "X" } }, "BAD_USER_INPUT");
    expect(error.message).toBe(`"${"a".repeat(100)}…" (99008 characters) is not a valid email address`);
    const id = await fails(`query($id: ID!) { member(id: $id) { id } }`, { id: "z".repeat(50_000) }, "BAD_USER_INPUT");
    expect(id.message).toBe(`id must be an id (UUID), got "${"z".repeat(100)}…" (50000 characters)`);
  });

  it("a NUL character anywhere in a string, in variables or in the query text, is BAD_USER_INPUT and writes nothing", async () => {
    const email = `${unique("nul")}@example.com`;
    const error = await fails(ENROLL, { input: { email, displayName: "Ada\u0000Lovelace" } }, "BAD_USER_INPUT");
    expect(error.extensions?.field).toBe("input.displayName");
    await fails(`mutation { enrollMember(input: { email: "${email}", displayName: "Ada\\u0000" }) { id } }`, {}, "BAD_USER_INPUT");
    await fails(`query($email: String!) { memberByEmail(email: $email) { id } }`, { email: "a\u0000@example.com" }, "BAD_USER_INPUT");
    await fails(`{ memberByEmail(email: "a\\u0000@example.com") { id } }`, {}, "BAD_USER_INPUT");
    const partner = await registerPartner();
    const member = await enrollMember();
    await fails(RECORD, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: "EUR", reference: "r\u0000" } }, "BAD_USER_INPUT");
    const { memberByEmail } = await ok(`query($email: String!) { memberByEmail(email: $email) { id } }`, { email });
    expect(memberByEmail).toBeNull();
  });

  it("an unpaired surrogate (no UTF-8 form: it was stored as U+FFFD) and a NUL in a comment are BAD_USER_INPUT, and write nothing", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    for (const reference of ["r-\ud800", "r-\udfff"]) {
      const error = await fails(RECORD, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: "EUR", reference } }, "BAD_USER_INPUT");
      expect(error.extensions?.field).toBe("input.reference");
    }
    await fails(`query { viewer { kind } } # \u0000`, {}, "BAD_USER_INPUT");
    await fails(`query { viewer { kind } } # \udc00`, {}, "GRAPHQL_PARSE_FAILED"); // graphql-js's lexer refuses this one itself
    const { member: unchanged } = await ok(`query($id: ID!) { member(id: $id) { balance { lifetimeEarned } } }`, { id: member.id });
    expect(unchanged.balance.lifetimeEarned).toBe(0);
  });

  it("a Float written too large for a double (1e400, read as Infinity) is BAD_USER_INPUT for anyone, not a 500", async () => {
    // The gateway's query planner failed on the literal with HTTP 500 and an unlisted code (INVALID_GRAPHQL),
    // before any resolver could refuse the caller: an anonymous request was enough.
    for (const headers of [{}, asAdmin()]) {
      for (const literal of ["1e400", "-1e400", `1${"0".repeat(400)}`]) {
        const response = await fetch(gatewayUrl(), {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ query: `mutation { registerPartner(input: { slug: "${unique("inf")}", name: "N", category: RETAIL, pointsPerUnit: ${literal}, currency: "EUR" }) { id } }` }),
        });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        expect([response.status, body.errors?.map((e) => e.extensions?.code)]).toEqual([400, ["BAD_USER_INPUT"]]);
      }
    }
    // Where an Int is expected, graphql-js's own validation refuses it, alone: not a second error beside it.
    const response = await fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ rewards(first: 1e400) { id } }` }) });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect([response.status, body.errors?.map((e) => e.extensions?.code)]).toEqual([400, ["GRAPHQL_VALIDATION_FAILED"]]);
    // A large finite one is still the resolver's to judge.
    await fails(`mutation { registerPartner(input: { slug: "${unique("big")}", name: "N", category: RETAIL, pointsPerUnit: 1e300, currency: "EUR" }) { id } }`, {}, "BAD_USER_INPUT");
  });

  it("pointsPerUnit takes any rate of up to 4 decimals as written (0.57 × 10,000 is 5,699.999999999999 in binary), and earns exactly", async () => {
    const member = await enrollMember();
    for (const [rate, amountMinor, points] of [[0.57, 10_000, 57], [0.07, 100_000, 70], [1.005, 20_000, 201]] as const) {
      const partner = await registerPartner({ pointsPerUnit: rate });
      expect(partner.pointsPerUnit).toBe(rate);
      expect((await ok(RECORD.replace("{ id }", "{ points }"), { input: { partnerId: partner.id, memberId: member.id, amountMinor, currency: "EUR", reference: unique("r") } })).recordPurchase.points).toBe(points);
    }
    const error = await fails(`mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
      input: { slug: unique("brand"), name: "Five Decimals", category: "RETAIL", pointsPerUnit: 1.00005, currency: "EUR", returnWindowDays: 0 },
    }, "BAD_USER_INPUT");
    expect(error.extensions?.field).toBe("pointsPerUnit");
  });

  it("an operationName the document does not have is OPERATION_RESOLUTION_FAILURE with HTTP 400, not a 500", async () => {
    const post = async (body: Record<string, unknown>) => {
      const response = await fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json", ...asAdmin() }, body: JSON.stringify(body) });
      return { status: response.status, codes: (((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code) };
    };
    const two = "query A { viewer { kind } } query B { viewer { kind } }";
    for (const body of [{ query: two, operationName: "Nope" }, { query: two }, { query: two, operationName: "A\u0000" }, { query: "query A { viewer { kind } }", operationName: "B" }]) {
      expect(await post(body)).toEqual({ status: 400, codes: ["OPERATION_RESOLUTION_FAILURE"] });
    }
    expect(await post({ query: two, operationName: "B" })).toEqual({ status: 200, codes: [] });
  });

  it("an impossible date (2026-02-30) is BAD_USER_INPUT, in variables and in the query text, and names no service", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    for (const occurredAt of ["2026-02-30T10:00:00Z", "2026-13-01T00:00:00Z", "2026-02-28T25:00:00Z", "yesterday"]) {
      const error = await fails(RECORD, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: "EUR", reference: unique("r"), occurredAt } }, "BAD_USER_INPUT");
      expect(JSON.stringify(error)).not.toMatch(/localhost|127\.0\.0\.1|http:/);
    }
    const literal = await gql(`query($id: ID!) { partner(id: $id) { settlement(from: "2026-02-30T00:00:00Z", to: "2026-03-01T00:00:00Z") { from } } }`, { id: partner.id });
    expect(literal.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(literal)).not.toMatch(/localhost|127\.0\.0\.1|http:/);
    const variable = await gql(`query($id: ID!, $from: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: "2026-03-01T00:00:00Z") { from } } }`, { id: partner.id, from: "2026-02-30" });
    expect(variable.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const { balance } = await headline(member.id);
    expect(balance).toMatchObject({ available: 0, lifetimeEarned: 0 });
  });

  it("never shows internals: no stack traces, no SQL", async () => {
    const result = await gql(`{ member(id: "not-a-uuid") { id } }`);
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|node_modules|\.ts:\d+/);
  });
});
