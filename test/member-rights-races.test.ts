import "reflect-metadata";
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { signToken } from "../shared/src/auth/jwt";
import { withDatabase } from "../shared/src/config";
import { createDataSource } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { exportMemberData } from "../shared/src/member-data/member-data-export";
import { Identifier } from "../gateway/src/identity";
import { MemberDataResolver } from "../subgraphs/members/src/member-data/member-data.resolver";
import { MEMBER_DATA_TABLES } from "../subgraphs/members/src/member-data/member-data.tables";
import type { MemberDataTable } from "../shared/src/member-data/member-data-export";
import { AdjustmentService } from "../subgraphs/ledger/src/adjustment/adjustment.service";
import { systemClock } from "../subgraphs/ledger/src/clock";
import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, ok, unique } from "./support/gateway";
import { dbQuery } from "./support/member-data";

const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
const EXPORT = `query($id: ID!) { member(id: $id) { dataExport } }`;
const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const dbUrl = (service: string) => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${service}${process.env.TEST_DATABASE_NAME_SUFFIX}`);

describe("probe: member data rights", () => {
  let ledgerDb: DataSource;
  let membersDb: DataSource;
  beforeAll(async () => {
    ledgerDb = createDataSource({ url: dbUrl("ledger"), entities: [], migrations: [], log: createLogger("test"), poolSize: 2 });
    membersDb = createDataSource({ url: dbUrl("members"), entities: [], migrations: [], log: createLogger("test"), poolSize: 2 });
    await ledgerDb.initialize();
    await membersDb.initialize();
  });
  afterAll(async () => {
    await ledgerDb?.destroy();
    await membersDb?.destroy();
  });

  it("P1: adjustPoints never credits an erased id (erasure completing between the members check and the ledger transaction)", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 10_000);
    // The members service answered "exists" (its read came before step 1); the whole erasure (step 1 and the
    // ledger's forfeit) then completes before the adjustment's transaction takes the member's lock.
    const members = {
      entities: async () => {
        await ok(ERASE, { id: member.id });
        return [{ id: member.id }];
      },
    };
    const service = new AdjustmentService(ledgerDb, systemClock, members as never, {} as never);
    const input = { memberId: member.id, points: 5_000, reason: "GOODWILL", note: "goodwill", idempotencyKey: unique("adj"), fundedByPartnerId: null };
    const outcome = await service.adjust(input as never, { identity: { kind: "admin", subject: "probe" }, requestId: null } as never).then(
      () => "posted",
      (error) => (error as { extensions?: { code?: string } }).extensions?.code,
    );
    const [account] = await dbQuery("ledger", `SELECT balance::int FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`, [member.id]);
    expect({ outcome, balance: account.balance }).toEqual({ outcome: "NOT_FOUND", balance: 0 });
  });

  it("P2: the members service's part of the export is read in one REPEATABLE READ snapshot (as the other services' are)", async () => {
    const probe: MemberDataTable = { table: "(SELECT current_setting('transaction_isolation') AS iso)", where: "$1::uuid IS NOT NULL", orderBy: "iso" };
    const ledgerLike = await exportMemberData(ledgerDb.manager, "ledger", [probe], randomUUID());
    expect(Object.values(ledgerLike.tables)[0]).toEqual([{ iso: "repeatable read" }]);
    // The members service's own resolver, with one more "table" that says how it is read.
    const member = await enrollMember();
    (MEMBER_DATA_TABLES as MemberDataTable[]).push(probe);
    try {
      const parts = { ledgerDataExport: { tables: {} }, catalogDataExport: { tables: {} }, partnersDataExport: { tables: {} } };
      const document = (await new MemberDataResolver().dataExport({ id: member.id, ...parts } as never, { identity: { kind: "admin", subject: "probe" }, dataSource: membersDb, requestId: null } as never)) as {
        services: { members: Record<string, unknown[]> };
      };
      expect(document.services.members[probe.table]).toEqual([{ iso: "repeatable read" }]);
    } finally {
      (MEMBER_DATA_TABLES as MemberDataTable[]).pop();
    }
  });

  describe("P3: a referral", () => {
    let friendEarn: { id: string };
    let friendLot: { available_at: Date; expires_at: Date };
    let friendMadeAt: Date;
    let ledger: Record<string, Record<string, unknown>[]>;
    beforeAll(async () => {
      const shop = await registerPartner({ returnWindowDays: 30 });
      const referrer = await enrollMember();
      const code = (await ok(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: referrer.id }, asMember(referrer.id))).member.referralCode as string;
      const friend = (await ok(ENROLL, { input: { email: `${unique("friend")}@example.com`, displayName: "Friend", referralCode: code } })).enrollMember as { id: string };
      // The friend's purchase, made 200 days ago (a late receipt).
      const occurredAt = new Date(Date.now() - 200 * 86_400_000);
      occurredAt.setUTCMilliseconds(0);
      await recordPurchase(shop, friend.id, 10_000, { occurredAt: occurredAt.toISOString() });
      friendMadeAt = occurredAt;
      [friendEarn] = await dbQuery("ledger", `SELECT t.id FROM transactions t JOIN purchases p ON p.transaction_id = t.id WHERE p.member_id = $1`, [friend.id]);
      [friendLot] = await dbQuery("ledger", `SELECT available_at, expires_at FROM lots WHERE member_id = $1 AND source = 'EARN'`, [friend.id]);
      ledger = (await ok(EXPORT, { id: referrer.id }, asMember(referrer.id))).member.dataExport.services.ledger;
      // The referrals table deliberately hides the friend's EARN transaction from the referrer.
      expect(ledger.referrals).toEqual([expect.objectContaining({ earn_transaction_id: null, referred_member_id: null })]);
    });

    it("P3a: the referrer's export does not name the friend's EARN transaction (campaign_bonuses)", () => {
      expect(ledger.campaign_bonuses).toEqual([expect.objectContaining({ campaign_id: null, points: 500, earn_transaction_id: null })]);
      expect(JSON.stringify(ledger)).not.toContain(friendEarn.id);
    });

    it("P3b: the referrer's bonus lot has dates of its own: pending and expiring as long after it was posted as the friend's purchase after it was made", () => {
      const lots = ledger.lots as { source: string; earned_at: string; available_at: string; expires_at: string }[];
      const [bonus] = lots.filter((lot) => lot.source === "BONUS");
      const after = (from: string | Date, to: string | Date) => new Date(to).getTime() - new Date(from).getTime();
      // The friend's purchase: made 200 days ago, a 30-day return window, expiring some months after it was made.
      const friendExpiry = after(friendMadeAt, friendLot.expires_at);
      expect(after(friendMadeAt, friendLot.available_at)).toBe(30 * 86_400_000);
      // The referrer's: posted now (its earned_at), pending 30 days from then, expiring as long after it.
      expect(Date.now() - new Date(bonus.earned_at).getTime()).toBeLessThan(60_000);
      expect({ pending: after(bonus.earned_at, bonus.available_at), expiry: after(bonus.earned_at, bonus.expires_at) }).toEqual({ pending: 30 * 86_400_000, expiry: friendExpiry });
      expect(JSON.stringify(lots)).not.toContain(new Date(friendLot.available_at).toISOString());
      expect(JSON.stringify(lots)).not.toContain(new Date(friendLot.expires_at).toISOString());
    });
  });

  it("P4: once eraseMember has answered, a gateway whose feed is stale refuses the token even if its last question was answered slowly", async () => {
    const secret = "x".repeat(40);
    const identifier = new Identifier({ secret, maxTtlSeconds: 86_400 });
    const memberId = randomUUID();
    let committedAt = Number.POSITIVE_INFINITY;
    (identifier as unknown as { members: unknown }).members = {
      request: async (query: string) => {
        if (query.includes("erasureFeed")) throw new Error("members service slow"); // the feed is stale
        const erased = Date.now() >= committedAt; // what the members service's read sees
        await sleep(700); // its answer arrives late (a busy members service or network)
        return { memberErased: erased };
      },
    };
    const headers = { authorization: `Bearer ${signToken({ sub: memberId, role: "member" }, secret)}` };
    const first = identifier.identify(headers); // asked just before step 1 commits
    await sleep(30);
    committedAt = Date.now(); // step 1 commits
    await first; // accepted: the erasure has not answered yet
    // eraseMember answers ERASURE_CHECK_CACHE_MS (1 s) after its commit; the member's next request comes after that.
    await sleep(committedAt + 1_000 + 50 - Date.now());
    const outcome = await identifier.identify(headers).then(
      () => "accepted",
      (error) => (error as { extensions?: { reason?: string } }).extensions?.reason,
    );
    expect(outcome).toBe("MEMBER_ERASED");
  });
});
