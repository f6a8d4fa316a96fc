import { enrollMember } from "./support/fixtures";
import { gql, ok } from "./support/gateway";

/**
 * One address, one member (an outside review, 2026-12-05): an address typed with é (one code point)
 * and with e plus a combining accent (two) is the same address, stored and looked up composed (NFC).
 */
it("an address with é composed or decomposed enrols one member, and either spelling finds it", async () => {
  const local = `jos\u00e9-${Date.now()}`;
  const composed = `${local}@example.com`;
  const decomposed = composed.normalize("NFD");
  expect(decomposed).not.toBe(composed);
  const member = await enrollMember({ email: decomposed });
  expect(member.email).toBe(composed);
  const again = await gql(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, { input: { email: composed, displayName: "José" } });
  expect(again.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([["CONFLICT", "email"]]);
  for (const spelling of [composed, decomposed]) {
    expect((await ok(`query($email: String!) { memberByEmail(email: $email) { id } }`, { email: spelling })).memberByEmail).toEqual({ id: member.id });
  }
});
