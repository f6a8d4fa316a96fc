import { randomUUID } from "node:crypto";
import { Client } from "pg";
import { type Identity, PROOF_HEADER, signProof } from "../shared/src/auth/proof";
import { withDatabase } from "../shared/src/config";
import { fails } from "./support/gateway";

/**
 * The members service's erasure feed, which every gateway reads in the background to refuse erased
 * members' tokens: on the test stack's real database, an erasure whose transaction is still open when
 * later ones are read is not skipped once it commits; and only the gateway (admins) may read it.
 */
const FEED = `query($after: String) { erasureFeed(after: $after) { memberIds next complete } }`;
const admin: Identity = { kind: "admin", subject: "gateway" };
const membersDatabase = () => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_members${process.env.TEST_DATABASE_NAME_SUFFIX}`);

async function readPage(after: string | null, identity: Identity = admin) {
  const response = await fetch(process.env.TEST_MEMBERS_URL!, {
    method: "POST",
    headers: { "content-type": "application/json", [PROOF_HEADER]: signProof(identity, "gateway", process.env.TEST_GATEWAY_SECRET!, "members") },
    body: JSON.stringify({ query: FEED, variables: { after } }),
  });
  return (await response.json()) as { data?: { erasureFeed: { memberIds: string[]; next: string; complete: boolean } }; errors?: { extensions?: { code?: string; field?: string } }[] };
}

/** Every page from `after` until one is not full, as the gateway reads them. */
async function readToTheEnd(after: string | null) {
  const ids = new Set<string>();
  for (let page = 0; page < 100; page++) {
    const { data, errors } = await readPage(after);
    if (errors) throw new Error(JSON.stringify(errors));
    data!.erasureFeed.memberIds.forEach((id) => ids.add(id));
    after = data!.erasureFeed.next;
    if (data!.erasureFeed.complete) return { ids, after };
  }
  throw new Error("the feed never completed");
}

describe("the erasure feed", () => {
  let open: Client;
  let other: Client;
  beforeEach(async () => {
    open = new Client({ connectionString: membersDatabase() });
    other = new Client({ connectionString: membersDatabase() });
    await open.connect();
    await other.connect();
  });
  afterEach(async () => {
    await open.end();
    await other.end();
  });

  // Rows as the erasure saga writes them, marked complete so its sweep leaves them alone.
  const erase = (client: Client, memberId: string) => client.query(`INSERT INTO member_erasures (member_id, completed_at) VALUES ($1, now())`, [memberId]);

  it("an erasure committed after later ones were read is read next time, not skipped", async () => {
    const { after: start } = await readToTheEnd(null);
    const slow = randomUUID();
    const fast = randomUUID();
    await open.query("BEGIN");
    await erase(open, slow); // its transaction id is taken now, before fast's
    await erase(other, fast); // committed at once, with a later transaction id
    const first = await readToTheEnd(start);
    expect([first.ids.has(fast), first.ids.has(slow)]).toEqual([true, false]);
    await open.query("COMMIT");
    // A cursor past fast's key would have stepped over slow's (its key is smaller): the horizon keeps it.
    const second = await readToTheEnd(first.after);
    expect(second.ids.has(slow)).toBe(true);
  });

  it("from the beginning it holds every erasure, each once per read", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) await erase(other, id);
    const [{ n }] = (await other.query(`SELECT count(*)::int AS n FROM member_erasures`)).rows;
    const all = await readToTheEnd(null);
    for (const id of ids) expect(all.ids.has(id)).toBe(true);
    expect(all.ids.size).toBeGreaterThanOrEqual(n); // every erasure there was before the read (others' tests may add more)
    // Read again from where it ended: nothing at or before the cursor comes back, and whatever is past it
    // does. The cursor stops at the oldest transaction still running on the server (its databases share
    // transaction ids): with an older one open anywhere (another test run on the same server), these three
    // are past it and read again, as they must be; with none, the cursor is past them.
    const again = await readToTheEnd(all.after);
    const [cursorXid, cursorMember] = all.after.split(":");
    const { rows } = await other.query(`SELECT member_id, erased_xid::text AS xid FROM member_erasures WHERE member_id = ANY($1::uuid[])`, [ids]);
    const pastCursor = (row: { member_id: string; xid: string }) =>
      BigInt(row.xid) > BigInt(cursorXid!) || (row.xid === cursorXid && row.member_id > cursorMember!);
    expect(rows.map((row) => ({ id: row.member_id, readAgain: again.ids.has(row.member_id) }))).toEqual(rows.map((row) => ({ id: row.member_id, readAgain: pastCursor(row) })));
    expect(rows).toHaveLength(3);
  });

  it("only the gateway and admins read it; it is not in the public API; a cursor it did not give is BAD_USER_INPUT", async () => {
    const member = await readPage(null, { kind: "member", memberId: randomUUID() });
    expect(member.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(member.data?.erasureFeed).toBeUndefined();
    const forged = await readPage(`1:${randomUUID()}; DROP TABLE member_erasures`);
    expect(forged.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["BAD_USER_INPUT", "after"]]);
    await fails(FEED, { after: null }, "GRAPHQL_VALIDATION_FAILED");
  });
});
