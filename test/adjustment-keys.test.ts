import { signToken } from "../shared/src/auth/jwt";
import { bearer } from "../tools/stack/graphql-client";
import { enrollMember } from "./support/fixtures";
import { gql, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * README, Idempotent: "Every key belongs to its caller: another member or partner using the same key
 * is another request, never a conflict"; adjustments are "Idempotent per admin: (admin, idempotencyKey)".
 * Admin `a` with key `team:1` and admin `a:team` with key `1` made one stored key (outside review).
 */
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id points member { id } } }`;
const asAdminNamed = (sub: string) => bearer(signToken({ sub, role: "admin" }, process.env.TEST_JWT_SECRET!));

it("two admins' adjustment keys never clash, whatever characters their subjects and keys hold", async () => {
  const tag = unique("desk");
  const [ada, bob] = [await enrollMember(), await enrollMember()];
  const input = (memberId: string, points: number, idempotencyKey: string) => ({ input: { memberId, points, reason: "GOODWILL", note: "goodwill", idempotencyKey } });
  // Admin "<tag>" uses key "team:1"; admin "<tag>:team" uses key "1": two admins, two requests.
  const first = await gql(ADJUST, input(ada.id, 100, "team:1"), asAdminNamed(tag));
  expect(first.errors).toBeUndefined();
  const second = await gql(ADJUST, input(bob.id, 50, "1"), asAdminNamed(`${tag}:team`));
  expect(second.errors?.map((e) => e.extensions?.code)).toBeUndefined();
  expect(second.data!.adjustPoints).toMatchObject({ points: 50, member: { id: bob.id } });
  await expectLedgerConsistent();
});
