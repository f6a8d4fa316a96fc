import { enrollMember, registerPartner } from "./support/fixtures";
import { asPartnerApp, gql, ok, unique } from "./support/gateway";
import { eventually } from "./support/eventually";
import { setTerms } from "./support/clearing";
import { createCampaign, endCampaign } from "./support/campaigns";

type Line = { service: string; actor: string; action: string; memberId: string | null; partnerId: string | null; targetId: string | null; outcome: string; errorCode: string | null };
const AUDIT = `query($first: Int, $memberId: ID, $partnerId: ID, $actor: String) {
  auditLog(first: $first, memberId: $memberId, partnerId: $partnerId, actor: $actor) { edges { node { service actor action memberId partnerId targetId outcome errorCode } } }
}`;
const lines = async (filter: Record<string, unknown>): Promise<Line[]> => (await ok(AUDIT, { first: 100, ...filter })).auditLog.edges.map((e: { node: Line }) => e.node);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Audit lines an outside review found missing or false: successful campaign, terms, prepaid and close
 * writes left none (only their refused attempts did), and a mutation whose answer had a refused field
 * got a FAILED line beside its SUCCEEDED one.
 */
describe("audit lines of writes", () => {
  it("a partner app's campaign and an admin's terms and prepaid top-up each leave a SUCCEEDED line (README: every write by an admin or a partner app leaves one line)", async () => {
    const partner = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const app = asPartnerApp(issuePartnerApiKey.key);
    await setTerms(partner.id, { issue: 1000, redemption: 0, share: 0, billing: "PREPAID" });
    await ok(`mutation($i: AddPrepaidPointsInput!) { addPrepaidPoints(input: $i) { prepaidPointsRemaining } }`, { i: { partnerId: partner.id, points: 100, reference: unique("inv") } });
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 5 }, app);
    await endCampaign(campaign.id, app);
    await endCampaign(campaign.id, app); // ending it again changes nothing and adds no line
    // A refused attempt does leave its FAILED line: the trail shows what was refused but not what was done.
    await gql(`mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`, { input: { name: "x", fundedByPartnerId: partner.id, bonusPoints: 5, startsAt: new Date(Date.now() - 3600_000).toISOString(), endsAt: new Date(Date.now() - 60_000).toISOString() } }, app);
    const found = await eventually(async () => {
      const all = await lines({ partnerId: partner.id });
      return all.some((l) => l.outcome === "FAILED") ? all : undefined;
    });
    expect(found.map((l) => `${l.actor.split(":")[0]} ${l.action} ${l.outcome}`).sort()).toEqual([
      "admin ADD_PREPAID_POINTS SUCCEEDED",
      "admin REGISTER_PARTNER SUCCEEDED",
      "admin ISSUE_PARTNER_API_KEY SUCCEEDED",
      "admin SET_PARTNER_TERMS SUCCEEDED",
      "partner CREATE_CAMPAIGN FAILED",
      "partner CREATE_CAMPAIGN SUCCEEDED",
      "partner END_CAMPAIGN SUCCEEDED",
    ].sort());
  });

  it("a write that succeeded leaves no FAILED line when only a field of its answer was refused", async () => {
    const partner = await registerPartner();
    const { issuePartnerApiKey } = await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partner.id });
    const app = asPartnerApp(issuePartnerApiKey.key);
    const member = await enrollMember();
    // The purchase is recorded; the app may not read the member's activity, so that one field is null with FORBIDDEN.
    const answer = await gql(
      `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points member { id activity(first: 1) { edges { cursor } } } } }`,
      { input: { partnerId: partner.id, memberId: member.id, amountMinor: 1_000, currency: partner.currency, reference: unique("r") } },
      app,
    );
    expect(answer.data?.recordPurchase?.id).toBeTruthy();
    expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await sleep(1500); // the FAILED line is written off the answer's path
    const mine = await lines({ memberId: member.id });
    expect(mine.map((l) => `${l.action} ${l.outcome} ${l.errorCode}`)).toEqual(["RECORD_PURCHASE SUCCEEDED null", "ENROLL_MEMBER SUCCEEDED null"]);
  });
});
