import { requireSelfOrPartner } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import type { Redemption } from "./redemption.type";

/**
 * Who may see a redemption: its member, admins, and the apps of the partner offering its reward (they
 * mark its voucher used). `null` (no such redemption) is refused like another member's: only an admin
 * learns that it does not exist.
 */
export async function requireRedemptionViewer({ identity, loaders }: Pick<Context, "identity" | "loaders">, redemption: Redemption | null): Promise<void> {
  const offeringPartner = identity.kind === "partner" && redemption ? ((await loaders.reward.load(redemption.rewardId))?.partnerId ?? "") : "";
  requireSelfOrPartner(identity, redemption?.memberId ?? "", offeringPartner);
}
