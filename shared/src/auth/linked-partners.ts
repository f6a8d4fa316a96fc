import DataLoader from "dataloader";
import { SubgraphClient } from "../subgraph-client";

/**
 * The partners a member is linked to, asked of the members service (one call per request batch):
 * a partner app may see a little of the members linked to it, and nothing of anyone else.
 */
export function createLinkedPartnersLoader(members = new SubgraphClient("members")) {
  return new DataLoader<string, string[]>(async (memberIds) => {
    const found = await members.entities<{ partnerAccounts: { partner: { id: string } }[] }>("Member", memberIds, "partnerAccounts { partner { id } }");
    return found.map((member) => member?.partnerAccounts.map((account) => account.partner.id) ?? []);
  });
}
