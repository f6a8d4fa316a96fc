import { createHash } from "node:crypto";
import { Client } from "pg";
import { withDatabase } from "../shared/src/config";
import { eventually } from "./support/eventually";
import { enrollMember } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { dbQuery } from "./support/member-data";

/**
 * An audit line about a member inserted before their erasure reached a service, by a transaction that commits
 * only after that service's step did: neither saw the other (the insert trigger found no erasure, the step's
 * update not yet the line), and the line kept its request id. Each step now waits for the transactions open
 * when it committed and replaces their lines' request ids too. Here the line is written straight into each
 * service's database and committed once that service's step has committed (its member_erasures row is seen).
 */
const ERASE = `mutation($id: ID!) { eraseMember(id: $id) }`;
// The digest as README "Members' data" states it: `erased:` and the hex SHA-256 of the text's UTF-8 bytes.
const digestOf = (text: string) => `erased:${createHash("sha256").update(text, "utf8").digest("hex")}`;

describe.each(["members", "ledger", "catalog"] as const)("an erasure and a %s audit line committed after its step", (service) => {
  it("the line's request id is replaced by its digest all the same", async () => {
    const member = await enrollMember();
    const requestId = unique("late-request");
    const writer = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${service}${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      const [line] = (
        await writer.query(
          `INSERT INTO audit_events (actor, action, member_id, request_id, outcome) VALUES ('test:late-writer', 'LATE_LINE', $1, $2, 'SUCCEEDED') RETURNING id`,
          [member.id, requestId],
        )
      ).rows;
      const erased = ok(ERASE, { id: member.id });
      // The service's step has committed (its erasure is recorded), the line's transaction is still open.
      await eventually(async () => {
        expect(await dbQuery(service, `SELECT 1 FROM member_erasures WHERE member_id = $1`, [member.id])).toHaveLength(1);
        return true;
      });
      await writer.query("COMMIT");
      expect((await erased).eraseMember).toBe(true);
      const [stored] = await dbQuery(service, `SELECT request_id FROM audit_events WHERE id = $1`, [line.id]);
      expect(stored.request_id).toBe(digestOf(requestId));
    } finally {
      await writer.end();
    }
  });
});
