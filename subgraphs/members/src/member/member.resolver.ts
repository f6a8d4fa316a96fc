import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { denyFor, isAdmin, requireAdmin, requireSelf, requireSelfOrLinkedPartner, requireSignedIn } from "../../../../shared/src/auth/policy";
import { pageSize, requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { EnrollMemberInput } from "./enroll-member.input";
import { Member } from "./member.type";

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, { nullable: true, description: "A member by id; null when there is none." })
  async member(@Arg("id", () => ID) id: string, @Ctx() context: Context): Promise<Member | null> {
    const memberId = requireId(id, "id");
    // Decided before the lookup: "not yours" and "does not exist" get the same answer.
    await requireSelfOrLinkedPartner(context.identity, memberId, () => linkedPartners(context, memberId));
    return context.loaders.member.load(memberId);
  }

  @Query(() => Member, {
    nullable: true,
    description: 'A member by email address (case-insensitive); null when there is none. Example: `memberByEmail(email: "ada@example.com")`.',
  })
  async memberByEmail(@Arg("email", () => String) email: string, @Ctx() { identity, members }: Context): Promise<Member | null> {
    requireSignedIn(identity);
    if (identity.kind === "partner") throw denyFor(identity);
    const record = await members.findByEmail(email);
    // A member may look up only their own address; anything else reads as forbidden, found or not.
    if (!isAdmin(identity) && record?.id !== (identity.kind === "member" ? identity.memberId : null)) throw denyFor(identity);
    return record && Member.from(record);
  }

  @Query(() => [Member], { description: "Members in enrolment order, a page at a time: pass the last id you got as `after`." })
  async members(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number | null,
    @Arg("after", () => ID, { nullable: true, description: "Id of the last member of the previous page." }) after: string | null,
    @Ctx() { identity, members }: Context,
  ): Promise<Member[]> {
    requireAdmin(identity);
    return (await members.list(pageSize(first ?? 20), after)).map(Member.from);
  }

  @Mutation(() => Member, { description: "Enrols a new member with a zero balance." })
  async enrollMember(@Arg("input", () => EnrollMemberInput) input: EnrollMemberInput, @Ctx() { identity, members }: Context): Promise<Member> {
    // Admins, and partner apps enrolling a customer at their till.
    if (identity.kind !== "partner") requireAdmin(identity);
    return Member.from(await members.enroll(input));
  }

  @FieldResolver(() => String, { description: "Email address, lowercased; unique across the coalition. Only the member and admins see it." })
  email(@Root() member: Member, @Ctx() { identity }: Context): string {
    requireSelf(identity, member.id);
    return member.email;
  }

  @FieldResolver(() => String, { description: "Name shown to the member and to the partners they are linked to." })
  async displayName(@Root() member: Member, @Ctx() context: Context): Promise<string> {
    await requireSelfOrLinkedPartner(context.identity, member.id, () => linkedPartners(context, member.id));
    return member.displayName;
  }

  @FieldResolver(() => Date, { description: "When the member enrolled. Only the member and admins see it." })
  enrolledAt(@Root() member: Member, @Ctx() { identity }: Context): Date {
    requireSelf(identity, member.id);
    return member.enrolledAt;
  }
}

async function linkedPartners(context: Context, memberId: string): Promise<string[]> {
  return (await context.loaders.partnerAccounts.load(memberId)).map((account) => account.partnerId);
}
