import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { requireId } from "../../../../shared/src/validation";
import { requireAdmin } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Partner } from "./partner.type";
import { RegisterPartnerInput } from "./register-partner.input";

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => Partner, { nullable: true, description: "A partner by id; null when there is none." })
  partner(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context): Promise<Partner | null> {
    return loaders.partner.load(requireId(id, "id"));
  }

  @Query(() => [Partner], { description: "Every partner brand in the coalition, by name." })
  async partners(@Ctx() { partners }: Context): Promise<Partner[]> {
    return (await partners.list()).map(Partner.from);
  }

  @Mutation(() => Partner, { description: "Adds a partner brand with its earn rule." })
  async registerPartner(@Arg("input", () => RegisterPartnerInput) input: RegisterPartnerInput, @Ctx() { identity, partners }: Context): Promise<Partner> {
    requireAdmin(identity);
    return Partner.from(await partners.register(input));
  }
}
