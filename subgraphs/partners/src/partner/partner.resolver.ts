import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { requireId } from "../../../../shared/src/validation";
import { requireAdmin } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Partner } from "./partner.type";
import { RegisterPartnerInput } from "./register-partner.input";

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => Partner, {
    nullable: true,
    description: withExample(
      "A partner brand by id; null when there is none. Public: anyone may read a partner's public fields, signed in or not. Errors: BAD_USER_INPUT (an id that is not a UUID).",
      `query {
  partner(id: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77") {
    name
    category
    pointsPerUnit
    currency
    returnWindowDays
    rewards { title costPoints stock }
  }
}`,
    ),
  })
  partner(@Arg("id", () => ID, { description: "The partner's id (a UUID); anything else is BAD_USER_INPUT." }) id: string, @Ctx() { loaders }: Context): Promise<Partner | null> {
    return loaders.partner.load(requireId(id, "id"));
  }

  @Query(() => [Partner], {
    description: withExample(
      "Every partner brand in the coalition, by name. Public: anyone may call it, signed in or not. Errors: only UPSTREAM_UNAVAILABLE (the service could not answer; retry).",
      `query {
  partners { id name category pointsPerUnit currency }
}`,
    ),
  })
  async partners(@Ctx() { partners }: Context): Promise<Partner[]> {
    return (await partners.list()).map(Partner.from);
  }

  @Mutation(() => Partner, {
    description: withExample(
      "Admins only: adds a partner brand with its earn rule. Errors: BAD_USER_INPUT (with `extensions.field`), CONFLICT (the slug is taken).",
      `mutation {
  registerPartner(input: { slug: "city-grocer", name: "City Grocer", category: GROCERY, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 14 }) {
    id
    slug
  }
}`,
    ),
  })
  async registerPartner(@Arg("input", () => RegisterPartnerInput, { description: "The brand and its earn rule." }) input: RegisterPartnerInput, @Ctx() { identity, partners, requestId }: Context): Promise<Partner> {
    requireAdmin(identity);
    return Partner.from(await partners.register(input, { identity, requestId }));
  }
}
