import { randomUUID } from "node:crypto";
import { PROOF_HEADER, signProof } from "../shared/src/auth/proof";
import { createReward, enrollMember, headline, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { fails, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";

const DAY = 86_400_000;
const BALANCE = `query($id: ID!) { member(id: $id) { tier balance { available pending expiringSoon { points expiresAt } } tierProgress { qualifyingPoints } } }`;
const balanceOf = async (id: string) => (await ok(BALANCE, { id })).member;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Return windows, expiry and the tier window, with the ledger's clock moved instead of sleeping. */
describe("ledger over time", () => {
  afterEach(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  it("keeps points pending through the return window, then makes them available with no job", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 7 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 600_000); // 6,000 points
    expect(await balanceOf(member.id)).toMatchObject({ tier: "BASE", balance: { available: 0, pending: 6_000 }, tierProgress: { qualifyingPoints: 0 } });
    await travel(6);
    expect((await balanceOf(member.id)).balance).toMatchObject({ available: 0, pending: 6_000 });
    await travel(8);
    expect(await balanceOf(member.id)).toMatchObject({ tier: "SILVER", balance: { available: 6_000, pending: 0 }, tierProgress: { qualifyingPoints: 6_000 } });
  });

  it("spends the oldest points first and expires what is left of them after 24 months, once", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000, { occurredAt: daysAgo(300) }); // 1,000 points, older
    await recordPurchase(partner, member.id, 50_000, { occurredAt: daysAgo(10) }); // 500 points, newer
    const reward = await createReward(partner.id, { costPoints: 400 });
    await redeem(member.id, reward.id); // taken from the older lot: 600 of it left

    // 24 months after the older purchase, less a few days: it shows as expiring soon.
    const nearExpiry = await travel(730 - 300 - 5);
    const soon = (await balanceOf(member.id)).balance.expiringSoon;
    expect(soon.map((e: { points: number }) => e.points)).toEqual([600]);
    expect(new Date(soon[0].expiresAt).getTime()).toBeGreaterThan(nearExpiry.getTime());

    // Past its expiry: no longer available, even before the expiry run.
    const afterExpiry = await travel(730 - 300 + 5);
    expect((await balanceOf(member.id)).balance.available).toBe(500);
    const first = await ledgerTool("expire", ["--now", afterExpiry.toISOString()]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toMatch(/Expired \d+ points in \d+ lots/);
    const second = await ledgerTool("expire", ["--now", afterExpiry.toISOString()]);
    expect(second.output).toContain("Expired 0 points in 0 lots");
    // A run that cannot start (a bad --now) says why and exits 2, as every ledger tool does; nothing expires.
    expect(await ledgerTool("expire", ["--now", "tomorrow"])).toEqual({ code: 2, output: expect.stringContaining('--now needs an ISO date-time, got "tomorrow"') });
    expect((await balanceOf(member.id)).balance.available).toBe(500);
    const { member: history } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points } } } } }`, { id: member.id });
    expect(history.activity.edges.filter((e: { node: { kind: string } }) => e.node.kind === "EXPIRY").map((e: { node: { points: number } }) => e.node.points)).toEqual([-600]);
  });

  it("downgrades the tier when qualifying points leave the 12-month window", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 500_000, { occurredAt: daysAgo(300) }); // 5,000 points: SILVER
    expect((await balanceOf(member.id)).tier).toBe("SILVER");
    await travel(70);
    expect(await balanceOf(member.id)).toMatchObject({ tier: "BASE", tierProgress: { qualifyingPoints: 0 }, balance: { available: 5_000 } });
  });

  it("multiplies earning by tier; only base points qualify", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 2_000_000); // 20,000 base points: GOLD
    const bonus = await recordPurchase(partner, member.id, 100_000); // 1,000 base × 1.5
    expect(bonus.points).toBe(1_500);
    expect(await balanceOf(member.id)).toMatchObject({ tier: "GOLD", balance: { available: 21_500 }, tierProgress: { qualifyingPoints: 21_000 } });
  });

  it("refuses to record purchases in the future or too long ago", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const input = (occurredAt: string) => ({ partnerId: partner.id, memberId: member.id, amountMinor: 100, currency: "EUR", reference: unique("r"), occurredAt });
    const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`;
    await fails(RECORD, { input: input(daysAgo(-2)) }, "BAD_USER_INPUT");
    await fails(RECORD, { input: input(daysAgo(400)) }, "BAD_USER_INPUT");
  });
});

describe("points holds", () => {
  afterEach(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  it("reserve points at once and release themselves when they expire uncaptured", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000); // 1,000 points
    const redemptionId = randomUUID();
    const ledger = (query: string, variables: Record<string, unknown>) =>
      fetch(process.env.TEST_LEDGER_URL!, {
        method: "POST",
        headers: { "content-type": "application/json", [PROOF_HEADER]: signProof({ kind: "service", service: "catalog" }, "service", process.env.TEST_SERVICE_SECRET!, "ledger") },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json() as Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }>);
    const input = { redemptionId, memberId: member.id, partnerId: partner.id, points: 400 };
    const placed = await ledger(`mutation($input: HoldInput!) { placeHold(input: $input) { status points } }`, { input });
    expect(placed.data.placeHold).toEqual({ status: "HELD", points: 400 });
    expect((await headline(member.id)).balance).toMatchObject({ available: 600, held: 400 });
    await travel(1); // HOLD_TTL_SECONDS is 300 by default
    expect((await headline(member.id)).balance).toMatchObject({ available: 1_000, held: 0 });
    const captured = await ledger(`mutation($id: ID!) { captureHold(redemptionId: $id) { status } }`, { id: redemptionId });
    expect(captured.errors?.[0]?.extensions?.code).toBe("HOLD_RELEASED");
    expect((await headline(member.id)).balance).toMatchObject({ available: 1_000, held: 0, lifetimeRedeemed: 0 });
  });
});
