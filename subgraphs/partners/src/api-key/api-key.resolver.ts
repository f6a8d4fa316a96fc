import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { isAdmin, requireAdmin } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import type { ApiKeyRow } from "./api-key.service";
import { IssuedPartnerApiKey, PartnerApiKey } from "./api-key.types";

const toKey = <T extends PartnerApiKey>(target: T, row: ApiKeyRow): T =>
  Object.assign(target, { id: row.id, partnerId: row.partner_id, prefix: row.prefix, createdAt: row.created_at, revokedAt: row.revoked_at });

@Resolver()
export class ApiKeyResolver {
  @Mutation(() => IssuedPartnerApiKey, { description: "Admins only: issues an API key for a partner app. The key is shown once, in this answer." })
  async issuePartnerApiKey(@Arg("partnerId", () => ID) partnerId: string, @Ctx() { identity, apiKeys }: Context): Promise<IssuedPartnerApiKey> {
    requireAdmin(identity);
    const { row, key } = await apiKeys.issue(partnerId);
    return Object.assign(toKey(new IssuedPartnerApiKey(), row), { key });
  }

  @Mutation(() => PartnerApiKey, { description: "Admins only: revokes an API key; requests with it are refused from then on." })
  async revokePartnerApiKey(@Arg("id", () => ID) id: string, @Ctx() { identity, apiKeys }: Context): Promise<PartnerApiKey> {
    requireAdmin(identity);
    return toKey(new PartnerApiKey(), await apiKeys.revoke(id));
  }

  @Directive("@inaccessible")
  @Query(() => ID, { nullable: true, description: "The gateway only: the partner a live API key (by its SHA-256) belongs to." })
  async apiKeyOwner(@Arg("keyHash", () => String) keyHash: string, @Ctx() { identity, apiKeys }: Context): Promise<string | null> {
    if (!isAdmin(identity)) return null;
    return apiKeys.ownerOf(keyHash);
  }
}
