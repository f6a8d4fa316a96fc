import { SUBGRAPH_NAMES, type SubgraphName } from "../shared/src/config";
import { anonymous, asAdmin, asMember, asPartnerApp, fails, gql, ok, unique } from "./support/gateway";
import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { dbQuery, tablesWithColumn } from "./support/member-data";

/**
 * Member.dataExport (GDPR article 15) through the gateway: compared field by field with what was
 * written through the API, who may ask for it, and a completeness check against every database.
 */
const EXPORT = `query($id: ID!) { member(id: $id) { dataExport } }`;
const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status linkedAt } }`;
const UNLINK = `mutation($partnerId: ID!) { unlinkPartnerAccount(partnerId: $partnerId) }`;
const APPROVE = `mutation($partnerId: ID!) { approvePartnerLink(partnerId: $partnerId) { status } }`;

type Rows = Record<string, any>[];
interface ExportDocument {
  format: string;
  memberId: string;
  exportedAt: string;
  services: Record<string, Record<string, Rows>>;
}

const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key as string;

describe("Member.dataExport", () => {
  let grocer: Awaited<ReturnType<typeof registerPartner>>;
  let hotel: Awaited<ReturnType<typeof registerPartner>>;
  let coffee: Awaited<ReturnType<typeof registerPartner>>;
  let member: { id: string; email: string };
  let friend: { id: string };
  let written: Record<string, any>;
  let document: ExportDocument;

  beforeAll(async () => {
    grocer = await registerPartner({ pointsPerUnit: 2 });
    hotel = await registerPartner({ returnWindowDays: 30 });
    coffee = await registerPartner();
    member = await enrollMember({ displayName: "Export Subject" });
    friend = await enrollMember();
    const grocerCard = unique("card");
    const coffeeCard = unique("card");
    // Links: one the admin makes (ACTIVE), one a partner app asks for and the member approves, one the member ends.
    await ok(LINK, { input: { memberId: member.id, partnerId: grocer.id, externalId: grocerCard } });
    await ok(LINK, { input: { memberId: member.id, partnerId: coffee.id, externalId: coffeeCard } }, asPartnerApp(await keyOf(coffee.id)));
    await ok(APPROVE, { partnerId: coffee.id }, asMember(member.id));
    await ok(LINK, { input: { memberId: member.id, partnerId: hotel.id, externalId: "hotel-1" } }, asMember(member.id));
    await ok(UNLINK, { partnerId: hotel.id }, asMember(member.id));
    const earn = await recordPurchase(grocer, member.id, 12_345); // floor(123.45 × 2) = 246 points
    const stay = await recordPurchase(hotel, member.id, 50_000); // 500 points, pending 30 days
    const reward = await createReward(grocer.id, { costPoints: 100, stock: 3 });
    const { redeemReward } = await redeem(member.id, reward.id);
    const { transferPoints } = await ok(
      `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`,
      { input: { fromMemberId: member.id, toMemberId: friend.id, points: 46, idempotencyKey: unique("gift") } },
      asMember(member.id),
    );
    written = { grocerCard, coffeeCard, earn, stay, reward, redeemReward, transferPoints };
    document = (await ok(EXPORT, { id: member.id }, asMember(member.id))).member.dataExport;
  });

  it("holds the profile, the links and their history, as written", async () => {
    expect(document.format).toBe("coalition-member-data/1");
    expect(document.memberId).toBe(member.id);
    const { members: profile, partner_accounts: links, partner_account_history: history } = document.services.members;
    expect(profile).toEqual([{ id: member.id, email: member.email, display_name: "Export Subject", enrolled_at: expect.any(String), referral_code: expect.stringMatching(/^[0-9A-F]{16}$/) }]);
    const byPartner = new Map(links.map((link) => [link.partner_id, link]));
    expect(links).toHaveLength(2);
    expect(byPartner.get(grocer.id)).toMatchObject({ member_id: member.id, external_id: written.grocerCard, status: "ACTIVE" });
    expect(byPartner.get(coffee.id)).toMatchObject({ member_id: member.id, external_id: written.coffeeCard, status: "ACTIVE" });
    expect(history.map((h) => [h.partner_id, h.event, h.status])).toEqual([
      [grocer.id, "LINKED", "ACTIVE"],
      [coffee.id, "LINKED", "PENDING"],
      [coffee.id, "APPROVED", "ACTIVE"],
      [hotel.id, "LINKED", "ACTIVE"],
      [hotel.id, "ENDED", "ACTIVE"],
    ]);
    expect(document.services.members.member_erasures).toEqual([]);
  });

  it("holds every ledger entry, lot, hold and running total, as written", async () => {
    const ledger = document.services.ledger;
    const { earn, stay, redeemReward, transferPoints } = written;
    expect(earn.points).toBe(246);
    expect(stay.points).toBe(500);
    // Postings in the order they were written: the entries the API answered with, by id, kind and points.
    expect(ledger.postings.map((p) => [p.id, p.entry_kind, p.amount])).toEqual([
      [earn.id, "EARN", 246],
      [stay.id, "EARN", 500],
      [expect.any(String), "REDEEM", -100],
      [transferPoints.id, "TRANSFER_OUT", -46],
    ]);
    expect(ledger.postings.every((p) => p.member_id === member.id)).toBe(true);
    expect(ledger.transactions.map((t) => [t.kind, t.partner_id, t.reference])).toEqual([
      ["EARN", grocer.id, earn.reference],
      ["EARN", hotel.id, stay.reference],
      ["REDEEM", grocer.id, redeemReward.id],
      ["TRANSFER", null, null],
    ]);
    // Idempotency keys stay out: a received transfer's key is the sender's.
    expect(ledger.transactions.every((t) => !("idempotency_key" in t) && !("fingerprint" in t))).toBe(true);
    expect(ledger.accounts).toEqual([{ id: expect.any(Number), kind: "MEMBER", owner_id: member.id, balance: 246 + 500 - 100 - 46, debt: 0 }]);
    expect(ledger.purchases.map((p) => [p.partner_id, p.amount_minor, p.points, p.base_points])).toEqual([
      [grocer.id, 12_345, 246, 246],
      [hotel.id, 50_000, 500, 500],
    ]);
    expect(ledger.lots.map((l) => [l.partner_id, l.source, l.points, l.remaining])).toEqual([
      [grocer.id, "EARN", 246, 100], // 100 redeemed, then 46 transferred, oldest first
      [hotel.id, "EARN", 500, 500],
    ]);
    // Only a redemption (and a negative adjustment: none here) records the lots it took (a cancellation gives them back with their expiry).
    expect(ledger.lot_takes.map((t) => t.points)).toEqual([100]);
    expect(ledger.holds).toEqual([expect.objectContaining({ redemption_id: redeemReward.id, member_id: member.id, points: 100, status: "CAPTURED" })]);
    expect(ledger.member_partner_points.map((m) => [m.partner_id, m.earned, m.redeemed]).sort()).toEqual(
      [[grocer.id, 246, 100], [hotel.id, 500, 0]].sort(),
    );
    expect(ledger.qualifying_points.reduce((sum, q) => sum + q.points, 0)).toBe(746);
    // The hotel stay becomes spendable 30 days on (the grocer's points had no window: their day is today's).
    const day = (offsetDays: number) => new Date(Date.parse(stay.occurredAt) + offsetDays * 86_400_000).toISOString().slice(0, 10);
    expect(ledger.pending_days).toContainEqual({ member_id: member.id, day: day(30), lot_points: 500, base_points: 500 });
    expect(ledger.transfer_days).toEqual([expect.objectContaining({ points: 46 })]);
    expect(ledger.member_erasures).toEqual([]);
  });

  it("holds the redemptions and their vouchers, as written", async () => {
    const { redeemReward, reward } = written;
    expect(document.services.catalog.redemptions).toEqual([
      expect.objectContaining({
        id: redeemReward.id,
        member_id: member.id,
        reward_id: reward.id,
        points_spent: 100,
        status: "COMPLETED",
        voucher_code: redeemReward.voucherCode,
        voucher_used_at: null,
      }),
    ]);
  });

  it("holds nothing of anyone else (not the friend the member gave points to)", async () => {
    expect(JSON.stringify(document)).not.toContain(friend.id);
  });

  it("is the member's and the admins' only", async () => {
    const byAdmin = (await ok(EXPORT, { id: member.id }, asAdmin())).member.dataExport as ExportDocument;
    // The same document, but for the audit lines the exports (and the admin's profile read) themselves left.
    const withoutAudit = (doc: ExportDocument) => ({ ...doc, exportedAt: null, services: { ...doc.services, members: { ...doc.services.members, audit_events: null } } });
    expect(withoutAudit(byAdmin)).toEqual(withoutAudit(document));
    const lines = byAdmin.services.members.audit_events as { action: string; actor: string }[];
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: "EXPORT_MEMBER_DATA", actor: `member:${member.id}` }),
    ]));
    // Another member cannot reach the member at all; a partner app the member agreed to sees a few fields, never this one.
    await fails(EXPORT, { id: member.id }, "FORBIDDEN", asMember(friend.id));
    // Every service refuses its own part: nothing of the export reaches the app.
    const byPartner = await gql(EXPORT, { id: member.id }, asPartnerApp(await keyOf(grocer.id)));
    expect(new Set(byPartner.errors?.map((e) => e.extensions?.code))).toEqual(new Set(["FORBIDDEN"]));
    expect(byPartner.data?.member).toEqual({ dataExport: null }); // the field alone, like every Member field but id
    await fails(EXPORT, { id: member.id }, "UNAUTHENTICATED", anonymous);
    const linked = await ok(`query($id: ID!) { member(id: $id) { displayName } }`, { id: member.id }, asPartnerApp(await keyOf(grocer.id)));
    expect(linked.member.displayName).toBe("Export Subject");
  });

  it("a member with no history exports empty tables, every one of them", async () => {
    const newcomer = await enrollMember();
    const empty = (await ok(EXPORT, { id: newcomer.id }, asMember(newcomer.id))).member.dataExport as ExportDocument;
    expect(empty.services.members.members).toHaveLength(1);
    for (const [service, tables] of Object.entries(empty.services)) {
      for (const [table, rows] of Object.entries(tables)) {
        if (service === "members" && table === "members") continue;
        // The audit trail's line about them: the enrolment (by the test's admin); this export's own line is written after its read.
        if (service === "members" && table === "audit_events") {
          expect((rows as { action: string }[]).map((line) => line.action)).toEqual(["ENROLL_MEMBER"]);
          continue;
        }
        expect([service, table, rows]).toEqual([service, table, []]);
      }
    }
  });

  it("lists every table of every service's database that holds a member id (a new one must be added to the export)", async () => {
    for (const service of SUBGRAPH_NAMES) {
      const withMemberId = await tablesWithColumn(service, "member_id");
      const exported = Object.keys(document.services[service] ?? {});
      expect({ service, missing: withMemberId.filter((table) => !exported.includes(table)) }).toEqual({ service, missing: [] });
    }
    // Tables that name members otherwise: the profile itself, and the ledger's accounts (owner_id).
    expect(Object.keys(document.services.members)).toContain("members");
    expect(Object.keys(document.services.ledger)).toContain("accounts");
    // And every exported name is a table of that service.
    for (const [service, tables] of Object.entries(document.services)) {
      const existing = (await dbQuery<{ t: string }>(service as SubgraphName, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'`)).map((row) => row.t);
      expect(Object.keys(tables).filter((table) => !existing.includes(table))).toEqual([]);
    }
  });
});
