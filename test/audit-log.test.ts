import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { asAdmin, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { eventually } from "./support/eventually";
import { expectLedgerConsistent } from "./support/ledger";

type Line = { service: string; actor: string; action: string; memberId: string | null; partnerId: string | null; targetId: string | null; requestId: string | null; outcome: string; errorCode: string | null; occurredAt: string };
const AUDIT = `query($first: Int, $after: String, $memberId: ID, $partnerId: ID, $actor: String) {
  auditLog(first: $first, after: $after, memberId: $memberId, partnerId: $partnerId, actor: $actor) {
    edges { cursor node { id service occurredAt actor action memberId partnerId targetId requestId outcome errorCode } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`;

async function lines(filter: Record<string, unknown>): Promise<Line[]> {
  return (await ok(AUDIT, { first: 100, ...filter })).auditLog.edges.map((e: { node: Line }) => e.node);
}

async function sql(database: string, text: string): Promise<unknown> {
  const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${database}${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("auditLog", () => {
  afterAll(() => expectLedgerConsistent());

  it("has a line for writes by admins and partner apps in every service, with the request id, and none for a member's own", async () => {
    const requestId = unique("audit-req");
    const admin = { ...asAdmin(), "x-request-id": requestId };
    const { registerPartner: partner } = await ok(
      `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id currency } }`,
      { input: { slug: unique("audited"), name: "Audited", category: "FUEL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 } },
      admin,
    );
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { id key } }`, { id: partner.id });
    const app = asPartnerApp(issuePartnerApiKey.key);
    const member = await enrollMember();
    await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } }, app);
    const { createReward: reward } = await ok(
      `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
      { input: { partnerId: partner.id, title: "Wash", description: "", costPoints: 10, minimumTier: "BASE", stock: null } },
      app,
    );
    const { recordPurchase: earn } = await ok(
      `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id reference } }`,
      { input: { partnerId: partner.id, memberId: member.id, amountMinor: 5_000, currency: "EUR", reference: unique("receipt") } },
      app,
    );
    // The member's own redemption is not audited; the partner marking the voucher used is.
    const { redeemReward } = await ok(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id voucherCode } }`, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: "k" } }, asMember(member.id));
    await ok(`mutation($code: String!) { markVoucherUsed(code: $code) { id } }`, { code: redeemReward.voucherCode }, app);

    const byPartner = await lines({ partnerId: partner.id });
    const summary = byPartner.map((l) => `${l.service} ${l.actor.split(":")[0]} ${l.action}`).sort();
    expect(summary).toEqual([
      "catalog partner CREATE_REWARD",
      "catalog partner MARK_VOUCHER_USED",
      "ledger partner RECORD_PURCHASE",
      "members partner LINK_PARTNER_ACCOUNT",
      "partners admin ISSUE_PARTNER_API_KEY",
      "partners admin REGISTER_PARTNER",
    ]);
    expect(byPartner.every((l) => l.outcome === "SUCCEEDED")).toBe(true);
    const registered = byPartner.find((l) => l.action === "REGISTER_PARTNER")!;
    expect(registered).toMatchObject({ actor: "admin:test-admin", requestId, partnerId: partner.id });
    expect(byPartner.find((l) => l.action === "RECORD_PURCHASE")).toMatchObject({ actor: `partner:${partner.id}`, memberId: member.id, targetId: earn.id });
    expect(byPartner.find((l) => l.action === "CREATE_REWARD")).toMatchObject({ targetId: reward.id });
    expect(byPartner.some((l) => l.action === "REDEEM_REWARD")).toBe(false);
    // The key's id, never the key.
    expect(JSON.stringify(byPartner)).not.toContain(issuePartnerApiKey.key);
    expect(byPartner.find((l) => l.action === "ISSUE_PARTNER_API_KEY")?.targetId).toBe(issuePartnerApiKey.id);
  });

  it("records every admin read of a member's profile, and no member's read of their own", async () => {
    const member = await enrollMember();
    await ok(`query($id: ID!) { member(id: $id) { displayName } }`, { id: member.id }, asMember(member.id));
    expect((await lines({ memberId: member.id })).map((l) => l.action)).toEqual(["ENROLL_MEMBER"]);
    await ok(`query($id: ID!) { member(id: $id) { email } }`, { id: member.id });
    await ok(`query($email: String!) { memberByEmail(email: $email) { id } }`, { email: member.email });
    expect((await lines({ memberId: member.id })).map((l) => l.action)).toEqual(["READ_MEMBER_PROFILE", "READ_MEMBER_PROFILE", "ENROLL_MEMBER"]);
    // Through another service's field: the ledger's entry, its member's name from the members service.
    await ok(ADJUST.replace("{ id }", "{ id member { displayName } }"), { input: { memberId: member.id, points: 5, reason: "GOODWILL", note: "n", idempotencyKey: unique("k") } });
    expect((await lines({ memberId: member.id })).map((l) => `${l.service} ${l.action}`).slice(0, 2).sort()).toEqual(["ledger ADJUST_POINTS", "members READ_MEMBER_PROFILE"]);
  });

  it("a failed write leaves no SUCCEEDED line (it rolls back with the change), and a FAILED line with its error code", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const app = asPartnerApp(issuePartnerApiKey.key);
    const before = await lines({ partnerId: partner.id });
    const purchase = await recordPurchase(partner, member.id, 1_000);
    // Refused after the transaction began (the refund is more than the purchase): rolled back, with its line.
    await fails(`mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id } }`, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 1_001 } }, "BAD_USER_INPUT", app);
    await fails(`mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: "USD", reference: unique("r") } }, "BAD_USER_INPUT", app);
    await fails(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, { input: { email: member.email, displayName: "Twice" } }, "CONFLICT");
    await fails(`mutation($id: ID!) { revokePartnerApiKey(id: $id) { id } }`, { id: "00000000-0000-4000-8000-000000000000" }, "NOT_FOUND");
    const succeeded = (found: Line[]) => found.filter((l) => l.outcome === "SUCCEEDED");
    const after = await eventually(async () => {
      const found = await lines({ partnerId: partner.id });
      return found.length >= before.length + 3 ? found : undefined;
    });
    expect(succeeded(after).map((l) => l.action)).toEqual(["RECORD_PURCHASE", ...before.map((l) => l.action)]);
    expect(succeeded(await lines({ memberId: member.id })).map((l) => l.action)).toEqual(["RECORD_PURCHASE", "ENROLL_MEMBER"]);
    // The partner app's two refused attempts, as FAILED lines with the code it got.
    const failed = after.filter((l) => l.outcome === "FAILED").map((l) => `${l.action} ${l.errorCode} ${l.actor === `partner:${partner.id}`}`);
    expect(failed.sort()).toEqual(["RECORD_PURCHASE BAD_USER_INPUT true", "REVERSE_PURCHASE BAD_USER_INPUT true"]);
    const adminFailures = await eventually(async () => {
      const found = (await lines({ actor: "admin:test-admin", first: 50 })).filter((l) => l.outcome === "FAILED");
      return found.some((l) => l.action === "REVOKE_PARTNER_API_KEY") && found.some((l) => l.action === "ENROLL_MEMBER") ? found : undefined;
    });
    expect(adminFailures.find((l) => l.action === "ENROLL_MEMBER")?.errorCode).toBe("CONFLICT");
  });

  it("pages through every service's lines newest first with a stable cursor, each line once", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } });
    for (let i = 0; i < 4; i++) {
      await ok(ADJUST, { input: { memberId: member.id, points: 10, reason: "GOODWILL", note: `n${i}`, idempotencyKey: unique("k"), fundedByPartnerId: partner.id } });
      await createReward(partner.id);
    }
    const all = await lines({ partnerId: partner.id });
    expect(all.length).toBe(10); // registered, linked, 4 adjustments it funds, 4 rewards
    const seen: Line[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { auditLog }: any = await ok(AUDIT, { first: 3, after, partnerId: partner.id });
      seen.push(...auditLog.edges.map((e: { node: Line }) => e.node));
      if (!auditLog.pageInfo.hasNextPage) break;
      after = auditLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(new Set(seen.map((l) => l.service))).toEqual(new Set(["partners", "members", "ledger", "catalog"]));
    const times = seen.map((l) => Date.parse(l.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Filters combine: this admin's lines about this partner.
    expect((await lines({ partnerId: partner.id, actor: "admin:test-admin" })).length).toBe(10);
    expect(await lines({ partnerId: partner.id, actor: "admin:someone-else" })).toEqual([]);
  });

  it("is for admins only; bad filters and cursors are BAD_USER_INPUT", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    await fails(AUDIT, { partnerId: partner.id }, "FORBIDDEN", asPartnerApp(issuePartnerApiKey.key));
    await fails(AUDIT, { memberId: member.id }, "FORBIDDEN", asMember(member.id));
    expect((await gql(AUDIT, {}, {})).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await fails(AUDIT, { after: "not-a-cursor" }, "BAD_USER_INPUT")).extensions?.field).toBe("after");
    expect((await fails(AUDIT, { memberId: "nope" }, "BAD_USER_INPUT")).extensions?.field).toBe("memberId");
    expect((await fails(AUDIT, { first: 101 }, "BAD_USER_INPUT")).extensions?.field).toBe("first");
    await fails(AUDIT, { actor: "a\u0000b" }, "BAD_USER_INPUT");
  });

  it("is append-only in every service's database", async () => {
    for (const database of ["members", "partners", "catalog", "ledger"]) {
      await expect(sql(database, `UPDATE audit_events SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
      await expect(sql(database, `DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
      await expect(sql(database, `TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    }
  });
});
