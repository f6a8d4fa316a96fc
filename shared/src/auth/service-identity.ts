import { PROOF_HEADER, signProof } from "./proof";

/** Who this process is when it calls another service, and the secret it signs with (set once at start). */
let self: { service: string; secret: string } | null = null;

export function setServiceIdentity(service: string, secret: string): void {
  self = { service, secret };
}

/** The header a service-to-service call to `target` (a subgraph's name) carries. */
export function serviceProofHeader(target: string): Record<string, string> {
  if (!self) throw new Error("This process has no service identity: call setServiceIdentity at start");
  return { [PROOF_HEADER]: signProof({ kind: "service", service: self.service }, "service", self.secret, target) };
}
