import { createHmac } from "node:crypto";
import { signProof, verifyProof } from "../../shared/src/auth/proof";

/** shared/src/auth/proof.ts: a proof is for one subgraph (its audience), whatever either side keeps. */
describe("subgraph proofs", () => {
  const secrets = { gateway: "g".repeat(32), service: "s".repeat(32) };
  const member = { kind: "member", memberId: "m-1" } as const;
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);

  it("verifies for the subgraph it was made for, and for no other, even once verified and kept", () => {
    const forLedger = signProof(member, "gateway", secrets.gateway, "ledger", 60, now);
    expect(verifyProof(forLedger, secrets, "ledger", now)).toEqual({ identity: member, signer: "gateway" });
    expect(verifyProof(forLedger, secrets, "ledger", now)).toEqual({ identity: member, signer: "gateway" }); // kept
    expect(verifyProof(forLedger, secrets, "members", now)).toBeNull();
  });

  it("signs one proof per subgraph (kept while more than half its life is left)", () => {
    const forLedger = signProof(member, "gateway", secrets.gateway, "ledger", 60, now);
    const forMembers = signProof(member, "gateway", secrets.gateway, "members", 60, now);
    expect(forMembers).not.toBe(forLedger);
    expect(signProof(member, "gateway", secrets.gateway, "ledger", 60, now + 29_000)).toBe(forLedger);
    expect(verifyProof(forMembers, secrets, "members", now)).toEqual({ identity: member, signer: "gateway" });
    // A service's proof, too.
    const service = signProof({ kind: "service", service: "catalog" }, "service", secrets.service, "ledger", 60, now);
    expect(verifyProof(service, secrets, "ledger", now)).toEqual({ identity: { kind: "service", service: "catalog" }, signer: "service" });
    expect(verifyProof(service, secrets, "partners", now)).toBeNull();
  });

  it("binds the signer to the identity: the service secret signs services only, the gateway's secret callers only", () => {
    for (const identity of [{ kind: "admin", subject: "x" } as const, member, { kind: "partner", partnerId: "p" } as const, { kind: "anonymous" } as const]) {
      expect(verifyProof(signProof(identity, "service", secrets.service, "ledger", 60, now), secrets, "ledger", now)).toBeNull();
      expect(verifyProof(signProof(identity, "gateway", secrets.gateway, "ledger", 60, now), secrets, "ledger", now)).toEqual({ identity, signer: "gateway" });
    }
    expect(verifyProof(signProof({ kind: "service", service: "gateway" }, "gateway", secrets.gateway, "members", 60, now), secrets, "members", now)).toBeNull();
  });

  it("refuses a proof without an audience (as signed before proofs had one)", () => {
    const payload = Buffer.from(JSON.stringify({ identity: member, signer: "gateway", exp: Math.floor(now / 1000) + 60 })).toString("base64url");
    const signature = createHmac("sha256", secrets.gateway).update(payload).digest().toString("base64url");
    expect(verifyProof(`${payload}.${signature}`, secrets, "ledger", now)).toBeNull();
  });
});
