import { GraphQLError } from "graphql";
import { ALLOWED, requireAdmin, requirePartner, requireSelf, requireSelfOrLinkedPartner, requireSelfOrPartner } from "../../shared/src/auth/policy";
import type { Identity } from "../../shared/src/auth/proof";

const MEMBER_A = "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10";
const MEMBER_B = "7c1f6d3f-9a1b-4e47-8b68-3a2d9b0e5f21";
const PARTNER_X = "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77";
const PARTNER_Y = "1d8e4a0b-3c52-4f9d-9e7b-6f4c2a3b0d88";

const member = (memberId: string) => ({ kind: "member", memberId }) as Identity;
const partner = (partnerId: string) => ({ kind: "partner", partnerId }) as Identity;
const anonymous = { kind: "anonymous" } as Identity;
const admin = { kind: "admin" } as Identity;

/** The error a check throws, as [code, message]; null when it lets the caller through. */
async function denial(check: () => unknown): Promise<[unknown, string] | null> {
  try {
    await check();
    return null;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [error.extensions.code, error.message];
  }
}

describe("access policy: who may, said in the denial", () => {
  it("admins only", async () => {
    expect(await denial(() => requireAdmin(admin))).toBeNull();
    expect(await denial(() => requireAdmin(member(MEMBER_A)))).toEqual(["FORBIDDEN", "Only admins may do this"]);
    expect(await denial(() => requireAdmin(partner(PARTNER_X)))).toEqual(["FORBIDDEN", "Only admins may do this"]);
    expect((await denial(() => requireAdmin(anonymous)))?.[0]).toBe("UNAUTHENTICATED");
  });

  it("the member themself, admins, or one partner's apps (a redemption's offering partner); an empty id is nobody's", async () => {
    expect(await denial(() => requireSelfOrPartner(member(MEMBER_A), MEMBER_A, PARTNER_X))).toBeNull();
    expect(await denial(() => requireSelfOrPartner(partner(PARTNER_X), MEMBER_A, PARTNER_X.toUpperCase()))).toBeNull();
    expect(await denial(() => requireSelfOrPartner(admin, "", ""))).toBeNull();
    expect(await denial(() => requireSelfOrPartner(member(MEMBER_B), MEMBER_A, PARTNER_X))).toEqual(["FORBIDDEN", ALLOWED.self]);
    expect(await denial(() => requireSelfOrPartner(member(MEMBER_A), "", PARTNER_X))).toEqual(["FORBIDDEN", ALLOWED.self]);
    expect(await denial(() => requireSelfOrPartner(partner(PARTNER_Y), MEMBER_A, PARTNER_X))).toEqual(["FORBIDDEN", ALLOWED.partner]);
    expect(await denial(() => requireSelfOrPartner(partner(PARTNER_X), MEMBER_A, ""))).toEqual(["FORBIDDEN", ALLOWED.partner]);
    expect((await denial(() => requireSelfOrPartner(anonymous, MEMBER_A, PARTNER_X)))?.[0]).toBe("UNAUTHENTICATED");
  });

  it("the member themself (any case of their id) and admins", async () => {
    expect(await denial(() => requireSelf(member(MEMBER_A), MEMBER_A.toUpperCase()))).toBeNull();
    expect(await denial(() => requireSelf(admin, MEMBER_B))).toBeNull();
    expect(await denial(() => requireSelf(member(MEMBER_A), MEMBER_B))).toEqual(["FORBIDDEN", "Only the member themself and admins may do this"]);
    expect(await denial(() => requireSelf(partner(PARTNER_X), MEMBER_A))).toEqual(["FORBIDDEN", "Only the member themself and admins may do this"]);
  });

  it("the partner's own apps and admins", async () => {
    expect(await denial(() => requirePartner(partner(PARTNER_X), PARTNER_X))).toBeNull();
    expect(await denial(() => requirePartner(partner(PARTNER_Y), PARTNER_X))).toEqual(["FORBIDDEN", "Only this partner's own apps and admins may do this"]);
    expect(await denial(() => requirePartner(member(MEMBER_A), PARTNER_X))).toEqual(["FORBIDDEN", "Only this partner's own apps and admins may do this"]);
  });

  it("a linked partner's app too, for the fields partners may see; the same words whether or not it asked about links", async () => {
    let asked = 0;
    const linkedTo = (partners: string[]) => async () => {
      asked++;
      return partners;
    };
    expect(await denial(() => requireSelfOrLinkedPartner(partner(PARTNER_X), MEMBER_A, linkedTo([PARTNER_X])))).toBeNull();
    expect(await denial(() => requireSelfOrLinkedPartner(member(MEMBER_A), MEMBER_A, linkedTo([])))).toBeNull();
    const refused = ["FORBIDDEN", ALLOWED.selfOrLinkedPartner];
    expect(await denial(() => requireSelfOrLinkedPartner(partner(PARTNER_Y), MEMBER_A, linkedTo([PARTNER_X])))).toEqual(refused);
    expect(await denial(() => requireSelfOrLinkedPartner(member(MEMBER_B), MEMBER_A, linkedTo([PARTNER_X])))).toEqual(refused);
    expect(refused[1]).toBe("Only the member, admins, and the apps of a partner the member has an ACTIVE link with may see this");
    // Only a partner's call looks its links up (members and admins are decided without a query).
    expect(asked).toBe(2);
  });
});

describe("access policy: a denial that one input field decides names it", () => {
  it("carries the rule given and the field", () => {
    try {
      requirePartner(partner(PARTNER_Y), PARTNER_X, "A partner app funds only its own campaigns", "fundedByPartnerId");
      throw new Error("not refused");
    } catch (error) {
      expect([(error as GraphQLError).extensions, (error as GraphQLError).message]).toEqual([{ code: "FORBIDDEN", field: "fundedByPartnerId" }, "A partner app funds only its own campaigns"]);
    }
  });
});
