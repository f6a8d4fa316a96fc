import { randomBytes } from "node:crypto";
import { Identifier } from "../../gateway/src/identity";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * README, "Who may see and do what": a revoked key stops working within 10 s (the gateway keeps a key's
 * owner that long). The time was counted from when the partners service's answer arrived, not from
 * when it was asked: a lookup that read the key just before its revocation and answered slowly kept
 * the revoked key working for the cache time after the answer, longer than promised after the revocation.
 */
describe("a revoked API key's cached owner", () => {
  it("is refused once the cache time has passed since the revocation, even when the last lookup answered slowly", async () => {
    const cacheMs = 1_000;
    const identifier = new Identifier({ secret: "x".repeat(40), maxTtlSeconds: 86_400 }, cacheMs);
    const partnerId = "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77";
    let revokedAt = Number.POSITIVE_INFINITY;
    (identifier as unknown as { partners: unknown }).partners = {
      request: async () => {
        const live = Date.now() < revokedAt; // what the partners service's read sees
        await sleep(700); // its answer arrives late (a busy partners service or network)
        return { apiKeyOwner: live ? partnerId : null };
      },
    };
    const headers = { "x-api-key": `ck_${randomBytes(32).toString("base64url")}` };
    const first = identifier.identify(headers); // asked just before the revocation commits
    await sleep(30);
    revokedAt = Date.now(); // revokePartnerApiKey commits
    expect(await first).toEqual({ kind: "partner", partnerId }); // accepted: read before the revocation
    // The promise: refused from revocation + cache time on.
    await sleep(revokedAt + cacheMs + 50 - Date.now());
    const outcome = await identifier.identify(headers).then(
      (identity) => `accepted as ${identity.kind}`,
      (error) => (error as { extensions?: { code?: string } }).extensions?.code,
    );
    expect(outcome).toBe("UNAUTHENTICATED");
  });
});
