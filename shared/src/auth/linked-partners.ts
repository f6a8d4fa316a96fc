import DataLoader from "dataloader";
import { SubgraphClient } from "../subgraph-client";

/**
 * The partners a member agreed to (ACTIVE links), asked of the members service once per request
 * batch: a partner app may see a little of those members, and nothing of anyone else. A PENDING link
 * (made by a partner's app, not yet approved by the member) gives no view. Per request and never kept
 * longer, so an ended link stops counting on the next request.
 */
export function createLinkedPartnersLoader(members = new SubgraphClient("members")) {
  return new DataLoader<string, string[]>(async (memberIds) => {
    const found = await members.entities<{ partnerAccounts: { partner: { id: string }; status: string }[] }>("Member", memberIds, "partnerAccounts { partner { id } status }");
    return found.map((member) => member?.partnerAccounts.filter((account) => account.status === "ACTIVE").map((account) => account.partner.id) ?? []);
  });
}
