import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { ERASURE_LOCK_SQL } from "../subgraphs/catalog/src/member-data/erasure.service";
import { createReward, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, gql, ok, unique } from "./support/gateway";
import { whereStored } from "./support/member-data";

const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;

const catalogDb = () => new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_catalog${process.env.TEST_DATABASE_NAME_SUFFIX}`) });

/**
 * A redemption and the catalog's step of an erasure (README, Members' data). The redemption checks
 * that the member exists before it reserves; if the erasure's catalog step commits in between, the
 * reservation would store the member app's key in the clear after the step hashed the member's keys,
 * for good. Here the step is the test's own transaction (it takes the erasure's lock and records the
 * erasure, as eraseMemberText does) held open while the redemption runs: the redemption waits for it
 * and then refuses, as for any erased member, storing nothing.
 */
describe("a redemption racing the catalog's step of an erasure", () => {
  it("waits for the step and refuses as for an unknown member; the key is stored nowhere", async () => {
    const partner = await registerPartner();
    const reward = await createReward(partner.id, { costPoints: 100 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 30_000); // 300 points at 1 a unit, available at once
    const key = unique("voucher.for.ada");

    const step = catalogDb();
    await step.connect();
    let redemption: Promise<Awaited<ReturnType<typeof gql>>> | undefined;
    try {
      await step.query("BEGIN");
      await step.query(ERASURE_LOCK_SQL.exclusive, [member.id]);
      await step.query(`INSERT INTO member_erasures (member_id) VALUES ($1)`, [member.id]);
      redemption = gql(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: key } }, asMember(member.id));
      // Until the redemption waits on the step's lock (or, were it not to wait, has answered): at most 10 s.
      let settled = false;
      void redemption.finally(() => (settled = true));
      for (let i = 0; i < 200 && !settled; i++) {
        const [{ waiting }] = (await step.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows;
        if (waiting > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await step.query("COMMIT");
    } finally {
      await step.end();
    }

    const answer = await redemption!;
    expect(answer.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((answer.data as { redeemReward?: unknown } | null)?.redeemReward ?? null).toBeNull();
    expect(await whereStored(key)).toEqual([]);

    // The rest of the erasure runs (its catalog step again changes nothing); still nothing of the key, and the points were never held.
    expect((await ok(ERASE, { id: member.id })).eraseMember).toBe(true);
    expect(await whereStored(key)).toEqual([]);
  });
});
