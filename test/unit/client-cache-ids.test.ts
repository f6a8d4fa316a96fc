import { partnerAccountId } from "../../subgraphs/members/src/partner-account/partner-account-id";
import { decodeIdCursor, encodeIdCursor, pageOf } from "../../shared/src/cursor";

describe("PartnerAccount.id (for client caches)", () => {
  // Written out with: printf '%s' 'partner-account:<member>:<partner>' | sha256sum, cut into UUID groups.
  const MEMBER = "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10";
  const PARTNER = "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77";

  it("is the SHA-256 of the member and partner pair, in UUID shape", () => {
    expect(partnerAccountId(MEMBER, PARTNER)).toBe("e6b8b242-efaf-1a2e-5f67-574c529c00a7");
  });

  it("is the same whatever the ids' case, and differs when the pair is swapped", () => {
    expect(partnerAccountId(MEMBER.toUpperCase(), PARTNER.toUpperCase())).toBe("e6b8b242-efaf-1a2e-5f67-574c529c00a7");
    expect(partnerAccountId(PARTNER, MEMBER)).not.toBe("e6b8b242-efaf-1a2e-5f67-574c529c00a7");
  });
});

describe("connection cursors", () => {
  // base64url of "member:5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", written out with `base64 | tr '+/' '-_' | tr -d '='`.
  const CURSOR = "bWVtYmVyOjViMGU1YzJlLThmMGEtNGQzNi05YTU3LTJmMWM4YTlkNGUxMA";

  it("encodes a row's id with its list's kind, and decodes it back", () => {
    expect(encodeIdCursor("member", "5B0E5C2E-8F0A-4D36-9A57-2F1C8A9D4E10")).toBe(CURSOR);
    expect(decodeIdCursor("member", CURSOR)).toBe("5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10");
  });

  it.each([
    ["another list's cursor", "reward", CURSOR],
    ["padding", "member", `${CURSOR}=`],
    ["not base64url", "member", "not a cursor!"],
    ["a bare id", "member", "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10"],
    ["an empty string", "member", ""],
  ] as const)("refuses %s as BAD_USER_INPUT on after", (_what, kind, cursor) => {
    let thrown: unknown;
    try {
      decodeIdCursor(kind, cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "after" } });
  });

  it("a page of `first` from first + 1 rows says whether another follows", () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ items: [1, 2], hasNextPage: true });
    expect(pageOf([1, 2], 2)).toEqual({ items: [1, 2], hasNextPage: false });
    expect(pageOf([], 2)).toEqual({ items: [], hasNextPage: false });
  });
});
