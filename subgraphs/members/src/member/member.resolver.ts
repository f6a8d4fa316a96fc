import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { pageSize, requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { EnrollMemberInput } from "./enroll-member.input";
import { Member } from "./member.type";

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, { nullable: true, description: "A member by id; null when there is none." })
  member(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context): Promise<Member | null> {
    return loaders.member.load(requireId(id, "id"));
  }

  @Query(() => Member, {
    nullable: true,
    description: 'A member by email address (case-insensitive); null when there is none. Example: `memberByEmail(email: "ada@example.com")`.',
  })
  async memberByEmail(@Arg("email", () => String) email: string, @Ctx() { members }: Context): Promise<Member | null> {
    const record = await members.findByEmail(email);
    return record && Member.from(record);
  }

  @Query(() => [Member], { description: "Members in enrolment order, a page at a time: pass the last id you got as `after`." })
  async members(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number | null,
    @Arg("after", () => ID, { nullable: true, description: "Id of the last member of the previous page." }) after: string | null,
    @Ctx() { members }: Context,
  ): Promise<Member[]> {
    return (await members.list(pageSize(first ?? 20), after)).map(Member.from);
  }

  @Mutation(() => Member, { description: "Enrols a new member with a zero balance." })
  async enrollMember(@Arg("input", () => EnrollMemberInput) input: EnrollMemberInput, @Ctx() { members }: Context): Promise<Member> {
    return Member.from(await members.enroll(input));
  }
}
