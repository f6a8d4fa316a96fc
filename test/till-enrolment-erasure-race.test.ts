import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { enrollMember, registerPartner } from "./support/fixtures";
import { asPartnerApp, gql, ok, unique } from "./support/gateway";
import { dbQuery } from "./support/member-data";

/**
 * Enrolment at a till answers the same whether or not the address is enrolled (README, "Enrolling
 * at the till"), and an erased member's address "may enrol again" from step 1's commit. A till
 * enrolment of an address whose member is being erased meets the erasure's lock on the member row:
 * it read the old member in its snapshot, its link's foreign key check waits on the erasure, and the
 * erasure's commit made it a foreign key violation, answered INTERNAL_SERVER_ERROR: an answer only an
 * enrolled address got, and the customer was not enrolled (outside review). Now it tries again, as a
 * new address. Step 1's statements are run here by hand (erasure.saga.ts) to hold its lock while the till asks.
 */
const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const keyOf = async (partnerId: string) => (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: partnerId })).issuePartnerApiKey.key as string;

describe("till enrolment racing an erasure", () => {
  it("an address whose member is being erased enrols as a new member, as a new address would, with no error", async () => {
    const partner = await registerPartner();
    const app = asPartnerApp(await keyOf(partner.id));
    const member = await enrollMember({ displayName: "Leaving Person" });

    // Step 1 of the erasure saga (erasure.saga.ts removePersonalData), statement by statement, holding its lock while the till asks.
    const erasure = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_members${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await erasure.connect();
    let till: Awaited<ReturnType<typeof gql<{ enrollMember: { id: string } }>>>;
    try {
      await erasure.query("BEGIN");
      await erasure.query(`SELECT id FROM members WHERE id = $1 FOR UPDATE`, [member.id]);
      const pending = gql<{ enrollMember: { id: string } }>(ENROLL, { input: { email: member.email, displayName: "Back Again" } }, app);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await erasure.query(`INSERT INTO member_erasures (member_id) VALUES ($1) ON CONFLICT DO NOTHING`, [member.id]);
      await erasure.query(`DELETE FROM partner_accounts WHERE member_id = $1`, [member.id]);
      await erasure.query(`DELETE FROM partner_account_history WHERE member_id = $1`, [member.id]);
      await erasure.query(`DELETE FROM members WHERE id = $1`, [member.id]);
      await erasure.query("COMMIT");
      till = await pending;
    } finally {
      await erasure.end();
    }
    // The saga's other steps, as its sweep or a retry would run them.
    await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: member.id });

    expect(till.errors?.map((e) => e.extensions?.code)).toBeUndefined();
    const newId = till.data!.enrollMember.id as string;
    expect(newId).not.toBe(member.id);
    expect(await dbQuery("members", `SELECT status FROM partner_accounts WHERE member_id = $1 AND partner_id = $2`, [newId, partner.id])).toEqual([{ status: "PENDING" }]);
  });
});
