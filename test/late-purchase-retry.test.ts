import { enrollMember, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points occurredAt } }`;
const DAY = 86_400_000;

describe("a late purchase's retry", () => {
  afterEach(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  it("returns the first entry even once occurredAt has left the backdating window; a new purchase that old is still refused", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const now = await travel(0);
    const occurredAt = new Date(now.getTime() - 365 * DAY + 3_600_000).toISOString(); // 365 days less an hour ago
    const input = { partnerId: partner.id, memberId: member.id, amountMinor: 1_000, currency: partner.currency, reference: unique("late"), occurredAt };
    const first = await ok(RECORD, { input });
    await travel(1); // the answer was lost; the till retries a day later
    expect((await ok(RECORD, { input })).recordPurchase).toEqual(first.recordPurchase);
    // The same reference with other details is still a conflict, and a new purchase that old is still bad input.
    expect((await gql(RECORD, { input: { ...input, amountMinor: 2_000 } })).errors?.[0]?.extensions?.code).toBe("IDEMPOTENCY_CONFLICT");
    expect((await gql(RECORD, { input: { ...input, reference: unique("late") } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "occurredAt" });
  });
});
