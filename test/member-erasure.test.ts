import { once } from "node:events";
import { processTree } from "../bench/processes";
import { signToken } from "../shared/src/auth/jwt";
import { bearer, postGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";
import { contractCall } from "./support/contract-client";
import { eventually } from "./support/eventually";
import { anonymous, asAdmin, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { expectCatalogConsistent } from "./support/consistency";
import { expectLedgerConsistent } from "./support/ledger";
import { dbQuery, whereStored } from "./support/member-data";

/**
 * eraseMember (GDPR article 17) through the gateway: the personal data is gone from every database,
 * the points are forfeited by an ERASURE adjustment with the ledger still verifying, the tokens are
 * refused, the links ended, and the address may enrol again; and, on a stack of its own, each service
 * killed (SIGKILL) in the middle of an erasure, which the sweep then finishes.
 */
const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`;
const PROFILE = `query($id: ID!) { member(id: $id) { id displayName balance { available pending } } }`;
const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key as string;

/** The erasure's forfeits in the ledger: one transaction per lot, each lot once, and the points they took from the member. */
async function forfeits(memberId: string, suffix?: string) {
  const [row] = await dbQuery(
    "ledger",
    `SELECT count(DISTINCT t.id)::int AS transactions, count(DISTINCT t.expired_lot_id)::int AS lots, coalesce(-sum(p.amount) FILTER (WHERE p.member_id IS NOT NULL), 0)::int AS points
     FROM transactions t JOIN postings p ON p.transaction_id = t.id WHERE t.idempotency_key LIKE $1`,
    [`erasure:${memberId}%`],
    suffix,
  );
  return row;
}

describe("eraseMember", () => {
  it("removes the person everywhere, forfeits the points, ends the links and refuses the tokens", async () => {
    const grocer = await registerPartner();
    const hotel = await registerPartner({ returnWindowDays: 30 });
    const displayName = unique("Erasable Person");
    const member = await enrollMember({ displayName });
    const card = unique("loyalty-card");
    await ok(LINK, { input: { memberId: member.id, partnerId: grocer.id, externalId: card } });
    const groceries = await recordPurchase(grocer, member.id, 100_000); // 1,000 points
    await recordPurchase(hotel, member.id, 30_000); // 300 points, pending
    const reward = await createReward(grocer.id, { costPoints: 400, stock: 2 });
    const { redeemReward } = await redeem(member.id, reward.id);
    const grocerApp = asPartnerApp(await keyOf(grocer.id));
    // Read (and, were it public, cached) before: the gateway must not serve it afterwards.
    expect((await ok(PROFILE, { id: member.id }, asMember(member.id))).member).toEqual({ id: member.id, displayName, balance: { available: 600, pending: 300 } });
    expect((await ok(`query($id: ID!) { member(id: $id) { displayName } }`, { id: member.id }, grocerApp)).member.displayName).toBe(displayName);
    expect(await whereStored(member.email)).toEqual(["members.members"]);

    expect(await ok(ERASE, { id: member.id }, asMember(member.id))).toEqual({ eraseMember: true });

    // Nothing that identifies the person, in any table of any database.
    for (const needle of [member.email, displayName, card]) expect([needle, await whereStored(needle)]).toEqual([needle, []]);
    // The tokens are refused, for every request (a public one too).
    await fails(`query { partners { id } }`, {}, "UNAUTHENTICATED", asMember(member.id));
    await fails(PROFILE, { id: member.id }, "UNAUTHENTICATED", asMember(member.id));
    // The member's own retry of the erasure (its answer lost) is refused too, and says why: the erasure is done.
    expect((await fails(ERASE, { id: member.id }, "UNAUTHENTICATED", asMember(member.id))).extensions?.reason).toBe("MEMBER_ERASED");
    // Admins find no one; the partner lost its view (the link ended); the voucher the member paid for stays honoured.
    expect((await ok(PROFILE, { id: member.id })).member).toBeNull();
    await fails(`query($id: ID!) { member(id: $id) { displayName } }`, { id: member.id }, "FORBIDDEN", grocerApp);
    expect(await dbQuery("members", `SELECT * FROM partner_accounts WHERE member_id = $1`, [member.id])).toEqual([]);

    // The ledger: the 900 points left (600 available + 300 pending) forfeited by one ADJUSTMENT per lot, reason ERASURE, each to its issuer's breakage.
    const [account] = await dbQuery("ledger", `SELECT balance::int, debt::int FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`, [member.id]);
    expect(account).toEqual({ balance: 0, debt: 0 });
    const [erasure] = await dbQuery("ledger", `SELECT adjustment_reason, forfeited_points::int, transaction_id FROM member_erasures WHERE member_id = $1`, [member.id]);
    expect(erasure).toEqual({ adjustment_reason: "ERASURE", forfeited_points: 900, transaction_id: null });
    const postings = await dbQuery(
      "ledger",
      `SELECT a.kind, a.owner_id, p.amount::int, p.entry_kind, l.partner_id AS lot_partner FROM transactions t
       JOIN lots l ON l.id = t.expired_lot_id JOIN postings p ON p.transaction_id = t.id JOIN accounts a ON a.id = p.account_id
       WHERE t.kind = 'ADJUSTMENT' AND t.idempotency_key LIKE $1 ORDER BY p.amount`,
      [`erasure:${member.id}:lot:%`],
    );
    expect(postings).toEqual([
      { kind: "MEMBER", owner_id: member.id, amount: -600, entry_kind: "ADJUSTMENT", lot_partner: grocer.id },
      { kind: "MEMBER", owner_id: member.id, amount: -300, entry_kind: "ADJUSTMENT", lot_partner: hotel.id },
      { kind: "PARTNER_BREAKAGE", owner_id: hotel.id, amount: 300, entry_kind: null, lot_partner: hotel.id },
      { kind: "PARTNER_BREAKAGE", owner_id: grocer.id, amount: 600, entry_kind: null, lot_partner: grocer.id },
    ]);
    // The amounts stay under the member id for the financial record.
    // Two purchases, the redemption, the two forfeits.
    expect((await dbQuery("ledger", `SELECT count(*)::int AS n FROM postings WHERE member_id = $1`, [member.id]))[0].n).toBe(5);
    expect((await dbQuery("members", `SELECT completed_at FROM member_erasures WHERE member_id = $1`, [member.id]))[0].completed_at).not.toBeNull();
    // The partners' liability dropped with the lots; the redemption and its voucher stay.
    const period = { id: grocer.id, from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    const { partner } = await ok(`query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { partner(id: $id) { settlement(from: $from, to: $to) { outstandingLiability } } }`, period);
    expect(partner.settlement.outstandingLiability).toBe(0);
    expect((await dbQuery("catalog", `SELECT status, voucher_code FROM redemptions WHERE id = $1`, [redeemReward.id]))[0]).toEqual({ status: "COMPLETED", voucher_code: redeemReward.voucherCode });
    await expectLedgerConsistent();
    // Nor is it cancelled now (the points would go back to the id): CONFLICT, and the voucher is not blocked.
    await fails(`mutation($id: ID!) { cancelRedemption(id: $id) { status } }`, { id: redeemReward.id }, "CONFLICT");
    expect((await dbQuery("catalog", `SELECT status, cancel_requested_at FROM redemptions WHERE id = $1`, [redeemReward.id]))[0]).toEqual({ status: "COMPLETED", cancel_requested_at: null });

    // A refund of its purchase claws nothing back (the points were forfeited: it would leave the id a debt and credit the
    // partner twice, breakage and refund): NOT_FOUND, nothing written.
    await fails(
      `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id } }`,
      { input: { partnerId: grocer.id, reference: groceries.reference, amountMinor: 50_000, refundReference: unique("refund") } },
      "NOT_FOUND",
    );
    expect((await dbQuery("ledger", `SELECT count(*)::int AS n FROM transactions WHERE kind = 'REVERSAL' AND partner_id = $1`, [grocer.id]))[0].n).toBe(0);

    // No new points for the id: purchases and transfers to it are NOT_FOUND.
    await fails(
      `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`,
      { input: { partnerId: grocer.id, memberId: member.id, amountMinor: 1_000, currency: grocer.currency, reference: unique("late") } },
      "NOT_FOUND",
    );
    const giver = await enrollMember();
    await recordPurchase(grocer, giver.id, 10_000);
    await fails(
      `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`,
      { input: { fromMemberId: giver.id, toMemberId: member.id, points: 10, idempotencyKey: unique("gift") } },
      "NOT_FOUND",
      asMember(giver.id),
    );
    // Idempotent: again (an admin now) is true, and forfeits nothing twice.
    expect(await ok(ERASE, { id: member.id })).toEqual({ eraseMember: true });
    expect(await forfeits(member.id)).toEqual({ transactions: 2, lots: 2, points: 900 });

    // The address enrols again, as a new member with nothing of the old one.
    const again = await enrollMember({ email: member.email, displayName });
    expect(again.id).not.toBe(member.id);
    expect((await ok(PROFILE, { id: again.id }, asMember(again.id))).member).toEqual({ id: again.id, displayName, balance: { available: 0, pending: 0 } });
    await expectLedgerConsistent();
  });

  it("a member with nothing in the ledger is erased too (no entry: nothing to forfeit)", async () => {
    const member = await enrollMember();
    expect(await ok(ERASE, { id: member.id })).toEqual({ eraseMember: true });
    expect(await dbQuery("ledger", `SELECT forfeited_points::int, transaction_id FROM member_erasures WHERE member_id = $1`, [member.id])).toEqual([{ forfeited_points: 0, transaction_id: null }]);
    expect(await whereStored(member.email)).toEqual([]);
  });

  it("50 concurrent erasures of one member: all true, one forfeit", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 5_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => gql(ERASE, { id: member.id })));
    expect(results.map((r) => r.errors ?? r.data)).toEqual(Array(50).fill({ eraseMember: true }));
    expect(await dbQuery("ledger", `SELECT forfeited_points::int FROM member_erasures WHERE member_id = $1`, [member.id])).toEqual([{ forfeited_points: 50 }]);
    await expectLedgerConsistent();
  });

  it("only the member themself or an admin; anyone else gets an error and nothing is erased", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const other = await enrollMember();
    await ok(LINK, { input: { memberId: member.id, partnerId: partner.id, externalId: unique("card") } });
    await fails(ERASE, { id: member.id }, "FORBIDDEN", asMember(other.id));
    await fails(ERASE, { id: member.id }, "FORBIDDEN", asPartnerApp(await keyOf(partner.id)));
    await fails(ERASE, { id: member.id }, "UNAUTHENTICATED", anonymous);
    // "Not yours" reads like "does not exist" for a member; an admin learns an id was never a member.
    await fails(ERASE, { id: "00000000-0000-4000-8000-000000000001" }, "FORBIDDEN", asMember(other.id));
    await fails(ERASE, { id: "00000000-0000-4000-8000-000000000001" }, "NOT_FOUND", asAdmin());
    const bad = await fails(ERASE, { id: "not-an-id" }, "BAD_USER_INPUT", asAdmin());
    expect(bad.extensions?.field).toBe("id");
    expect((await ok(PROFILE, { id: member.id }, asMember(member.id))).member.id).toBe(member.id);
    expect(await whereStored(member.email)).toEqual(["members.members"]);
    expect(await dbQuery("members", `SELECT count(*)::int AS n FROM member_erasures WHERE member_id = $1`, [member.id])).toEqual([{ n: 0 }]);
  });
});

describe("eraseMember with a service killed halfway", () => {
  // The members service sweeps every second: an erasure left open is finished as soon as the ledger answers.
  const dedicated = useDedicatedStack("erasure", { ERASURE_SWEEP_SECONDS: "1" });
  const call = (query: string, variables: Record<string, unknown> = {}, caller = dedicated.admin()) => postGraphQL(dedicated.stack.gatewayUrl, query, variables, caller);
  const memberToken = (id: string) => bearer(signToken({ sub: id, role: "member" }, dedicated.stack.env.JWT_SECRET!));
  const killed = async (service: "members" | "partners" | "catalog" | "ledger") => {
    const { child } = dedicated.stack.services[service];
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    expect(child.signalCode).toBe("SIGKILL");
  };

  /** A member with 700 points (500 available, 200 pending) and a link carrying an account id. */
  async function subject(name: string) {
    const data = async (query: string, variables: Record<string, unknown>) => {
      const result = await call(query, variables);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data!;
    };
    const slug = `${name}-${Date.now()}`;
    const { registerPartner: partner } = await data(`mutation($slug: String!) { registerPartner(input: { slug: $slug, name: "P", category: OTHER, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 }) { id } }`, { slug });
    const { registerPartner: hotel } = await data(`mutation($slug: String!) { registerPartner(input: { slug: $slug, name: "H", category: OTHER, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 14 }) { id } }`, { slug: `h-${slug}` });
    const email = `${slug}@example.com`;
    const displayName = `Person ${slug}`;
    const { enrollMember: member } = await data(`mutation($email: String!, $name: String!) { enrollMember(input: { email: $email, displayName: $name }) { id } }`, { email, name: displayName });
    await data(LINK, { input: { memberId: member.id, partnerId: partner.id, externalId: `card-${slug}` } });
    const earn = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`;
    await data(earn, { input: { partnerId: partner.id, memberId: member.id, amountMinor: 50_000, currency: "EUR", reference: `r-${slug}` } });
    await data(earn, { input: { partnerId: hotel.id, memberId: member.id, amountMinor: 20_000, currency: "EUR", reference: `stay-${slug}` } });
    // The partners' receipt references are text a caller chose, tied to the member: gone too once the erasure is
    // finished (the ledger's step replaces them by their digests), where the personal data goes at step 1.
    return { id: member.id as string, partnerId: partner.id as string, needles: [email, displayName, `card-${slug}`], references: [`r-${slug}`, `stay-${slug}`] };
  }

  /** The erasure is finished: nothing of the person anywhere, 700 points forfeited once, the ledger verifies, the token refused. */
  async function expectErased(member: { id: string; needles: string[]; references: string[] }) {
    await eventually(async () => {
      const [open] = await dbQuery("members", `SELECT completed_at FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix);
      return open?.completed_at ?? undefined;
    });
    expect(await dbQuery("ledger", `SELECT adjustment_reason, forfeited_points::int FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix)).toEqual([
      { adjustment_reason: "ERASURE", forfeited_points: 700 },
    ]);
    expect(await dbQuery("ledger", `SELECT balance::int FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`, [member.id], dedicated.suffix)).toEqual([{ balance: 0 }]);
    for (const needle of [...member.needles, ...member.references]) expect([needle, await whereStored(needle, dedicated.suffix)]).toEqual([needle, []]);
    // Just after a members restart the gateway may still fail member tokens closed (UPSTREAM_UNAVAILABLE:
    // its breaker to the members service waits BREAKER_OPEN_MS before trying it again). A client following
    // the README retries that and is then refused; no attempt is ever served.
    const refused = await contractCall(`query { partners { id } }`, {}, { url: dedicated.stack.gatewayUrl, headers: memberToken(member.id), deadlineMs: 15_000 });
    expect(refused).toMatchObject({ resolved: true, codes: ["UNAUTHENTICATED"], data: undefined });
    for (const attempt of refused.attempts) expect(attempt.codes).toEqual([expect.stringMatching(/^(UPSTREAM_UNAVAILABLE|UNAUTHENTICATED)$/)]);
    await expectLedgerConsistent(dedicated.suffix);
  }

  it("members service frozen: member tokens fail closed once the erasure feed is stale, and are served again once it is read", async () => {
    const publicQuery = `query { partners { id } }`; // the partners subgraph alone: only the token check asks the members service
    expect((await call(publicQuery, {}, memberToken(crypto.randomUUID()))).errors).toBeUndefined();
    const members = processTree(dedicated.stack.services.members.child.pid!);
    for (const pid of members) process.kill(pid, "SIGSTOP");
    try {
      // Past ERASURE_CHECK_CACHE_MS (1 s) since the gateway's last read: "not in the feed" no longer means "not erased".
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const unseen = memberToken(crypto.randomUUID()); // never asked about: no per-member answer kept either
      expect((await call(publicQuery, {}, unseen)).errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
      // Refused before execution, with no data: HTTP 503 with Retry-After like any such answer (not Apollo's 500 for a failed context).
      const answer = await fetch(dedicated.stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...memberToken(crypto.randomUUID()) }, body: JSON.stringify({ query: publicQuery }) });
      expect([answer.status, answer.headers.get("retry-after"), ((await answer.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code]).toEqual([503, "1", "UPSTREAM_UNAVAILABLE"]);
      // An admin's token names no member: unaffected.
      expect((await call(publicQuery)).errors).toBeUndefined();
    } finally {
      for (const pid of members) process.kill(pid, "SIGCONT");
    }
    await eventually(async () => ((await call(publicQuery, {}, memberToken(crypto.randomUUID()))).errors ? undefined : true));
  });

  it("members killed once the personal data is gone, before the ledger is asked: the sweep at its restart finishes", async () => {
    const member = await subject("members-killed");
    await dedicated.stack.restart("members", { MEMBERS_CRASH_AT: "after-personal-data" });
    const interrupted = await call(ERASE, { id: member.id });
    expect(interrupted.errors).toBeDefined();
    await killed("members");
    // Never half-erased: the person is gone already; only the points wait for the sweep.
    for (const needle of member.needles) expect(await whereStored(needle, dedicated.suffix)).toEqual([]);
    expect(await dbQuery("ledger", `SELECT 1 FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix)).toEqual([]);
    await dedicated.stack.restart("members", { MEMBERS_CRASH_AT: "" });
    await expectErased(member);
  }, 60_000);

  it("ledger killed after the forfeit, before answering: the sweep finishes without forfeiting twice", async () => {
    const member = await subject("ledger-killed");
    await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: "after-forfeit" });
    const interrupted = await call(ERASE, { id: member.id });
    expect(interrupted.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    await killed("ledger");
    await dedicated.stack.restart("ledger", { LEDGER_CRASH_AT: "" });
    await expectErased(member);
    expect(await forfeits(member.id, dedicated.suffix)).toEqual({ transactions: 2, lots: 2, points: 700 });
  }, 60_000);

  it("ledger down during the erasure: UPSTREAM_UNAVAILABLE, the person gone, the points forfeited once it is back", async () => {
    const member = await subject("ledger-down");
    dedicated.stack.services.ledger.child.kill("SIGKILL");
    await killed("ledger");
    // An export without the ledger's part is no export.
    const exported = await call(`query($id: ID!) { member(id: $id) { dataExport } }`, { id: member.id });
    expect(exported.errors?.map((e) => e.extensions?.code)).toContain("UPSTREAM_UNAVAILABLE");
    expect(exported.data?.member).toEqual({ dataExport: null }); // never a partial document
    const answer = await call(ERASE, { id: member.id }, memberToken(member.id));
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    // The tokens are refused at once, before the ledger is back.
    expect((await call(`query { partners { id } }`, {}, memberToken(member.id))).errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    await dedicated.stack.restart("ledger", {});
    await expectErased(member);
  }, 60_000);

  it("a redemption in flight (catalog killed holding the points): the erasure releases the hold, the redemption fails and gives the stock back", async () => {
    const member = await subject("in-flight");
    const created = await call(`mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`, { input: { partnerId: member.partnerId, title: "R", costPoints: 300, stock: 2 } });
    const reward = created.data!.createReward;
    await dedicated.stack.restart("catalog", { CATALOG_CRASH_AT: "after-hold", REDEMPTION_RECOVERY_AFTER_SECONDS: "3600" });
    const interrupted = await call(`mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id } }`, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: "in-flight" } });
    expect(interrupted.errors).toBeDefined();
    await killed("catalog");
    expect(await dbQuery("ledger", `SELECT status FROM holds WHERE member_id = $1`, [member.id], dedicated.suffix)).toEqual([{ status: "HELD" }]);
    // The ledger's step runs (the hold released); the catalog's (the member's redemption keys) waits for the catalog: the
    // erasure stays open, UPSTREAM_UNAVAILABLE, and the sweep finishes it once the catalog is back.
    const answer = await call(ERASE, { id: member.id });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    expect(await dbQuery("ledger", `SELECT status FROM holds WHERE member_id = $1`, [member.id], dedicated.suffix)).toEqual([{ status: "RELEASED" }]);
    await dedicated.stack.restart("catalog", { CATALOG_CRASH_AT: "", REDEMPTION_RECOVERY_AFTER_SECONDS: "0" });
    await eventually(async () => {
      const [redemption] = await dbQuery("catalog", `SELECT status FROM redemptions WHERE member_id = $1`, [member.id], dedicated.suffix);
      return redemption?.status === "FAILED" ? true : undefined;
    });
    expect(await dbQuery("catalog", `SELECT stock FROM rewards WHERE id = $1`, [reward.id], dedicated.suffix)).toEqual([{ stock: 2 }]);
    await expectErased(member); // all 700 points forfeited, none captured
    await expectCatalogConsistent(dedicated.suffix);
  }, 60_000);

  it("partners killed: it holds nothing of members, so the erasure completes without it", async () => {
    const member = await subject("partners-down");
    dedicated.stack.services.partners.child.kill("SIGKILL");
    await killed("partners");
    const answer = await call(ERASE, { id: member.id }, memberToken(member.id));
    expect(answer.errors ?? answer.data).toEqual({ eraseMember: true });
    await dedicated.stack.restart("partners", {});
    await expectErased(member);
  }, 60_000);

  it("catalog killed: UPSTREAM_UNAVAILABLE, the person gone and the points forfeited, its step (the redemption keys) done once it is back", async () => {
    const member = await subject("catalog-down");
    dedicated.stack.services.catalog.child.kill("SIGKILL");
    await killed("catalog");
    const answer = await call(ERASE, { id: member.id }, memberToken(member.id));
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
    expect((await call(`query { partners { id } }`, {}, memberToken(member.id))).errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    await dedicated.stack.restart("catalog", {});
    await expectErased(member);
    expect(await dbQuery("catalog", `SELECT 1 AS erased FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix)).toEqual([{ erased: 1 }]);
  }, 60_000);

  it("an erasure finished before the catalog took part: the sweep gives it the catalog's step, keeping the time it was completed", async () => {
    const member = await subject("before-catalog");
    expect((await call(ERASE, { id: member.id }, memberToken(member.id))).errors).toBeUndefined();
    // The state ErasuresCatalogStep1734960000003 leaves an erasure finished before it in: completed, the catalog never asked
    // (its step not run, so no row in the catalog's member_erasures). The catalog is down meanwhile, so the sweep
    // (every second) cannot finish it before the state is set.
    dedicated.stack.services.catalog.child.kill("SIGKILL");
    await killed("catalog");
    const completedAt = "2026-01-02T03:04:05.000Z";
    await dbQuery("members", `UPDATE member_erasures SET completed_at = $2, catalog_step_at = NULL WHERE member_id = $1`, [member.id, completedAt], dedicated.suffix);
    await dbQuery("catalog", `DELETE FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix);
    await dedicated.stack.restart("catalog", {});
    await eventually(async () => {
      expect(await dbQuery("catalog", `SELECT 1 AS erased FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix)).toEqual([{ erased: 1 }]);
      const [row] = await dbQuery("members", `SELECT completed_at, catalog_step_at FROM member_erasures WHERE member_id = $1`, [member.id], dedicated.suffix);
      expect(row.completed_at.toISOString()).toBe(completedAt);
      expect(row.catalog_step_at).not.toBeNull();
      return true;
    });
    await expectErased(member);
  }, 60_000);
});
