import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import { isAdmin, requireAdmin } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import type { ApiKeyRow } from "./api-key.service";
import { IssuedPartnerApiKey, PartnerApiKey } from "./api-key.types";

const toKey = <T extends PartnerApiKey>(target: T, row: ApiKeyRow): T =>
  Object.assign(target, { id: row.id, partnerId: row.partner_id, prefix: row.prefix, createdAt: row.created_at, revokedAt: row.revoked_at });

@Resolver()
export class ApiKeyResolver {
  @Mutation(() => IssuedPartnerApiKey, {
    description: withExample(
      "Admins only: issues an API key for a partner app. The key is shown once, in this answer: store it then. Errors: BAD_USER_INPUT, NOT_FOUND (no such partner).",
      `mutation {
  issuePartnerApiKey(partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77") { id prefix key }
}`,
    ),
  })
  async issuePartnerApiKey(@Arg("partnerId", () => ID, { description: "The partner whose app gets the key." }) partnerId: string, @Ctx() { identity, apiKeys, requestId }: Context): Promise<IssuedPartnerApiKey> {
    requireAdmin(identity);
    const { row, key } = await apiKeys.issue(partnerId, { identity, requestId });
    return Object.assign(toKey(new IssuedPartnerApiKey(), row), { key });
  }

  @Mutation(() => PartnerApiKey, {
    description: withExample(
      "Admins only: revokes an API key; requests with it are refused from then on (within 10 seconds at every gateway). " +
        "Revoking twice is harmless (`revokedAt` keeps the first time). Errors: BAD_USER_INPUT, NOT_FOUND.",
      `mutation {
  revokePartnerApiKey(id: "9d2e4b6a-1c3f-4a5b-8e7d-6f0a1b2c3d4e") { id revokedAt }
}`,
    ),
  })
  async revokePartnerApiKey(@Arg("id", () => ID, { description: "The key's id (from `issuePartnerApiKey`), not the key itself." }) id: string, @Ctx() { identity, apiKeys, requestId }: Context): Promise<PartnerApiKey> {
    requireAdmin(identity);
    return toKey(new PartnerApiKey(), await apiKeys.revoke(id, { identity, requestId }));
  }

  @Directive("@inaccessible")
  @Query(() => ID, { nullable: true, description: "The gateway only: the partner a live API key (by its SHA-256) belongs to." })
  async apiKeyOwner(@Arg("keyHash", () => String, { description: "Hex SHA-256 of the key." }) keyHash: string, @Ctx() { identity, apiKeys }: Context): Promise<string | null> {
    if (!isAdmin(identity)) return null;
    return apiKeys.ownerOf(keyHash);
  }
}
