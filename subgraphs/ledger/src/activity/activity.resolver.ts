import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { requireSelf } from "../../../../shared/src/auth/policy";
import { pageSize } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { decodeCursor } from "./activity.cursor";
import { LedgerEntryConnection } from "./activity.types";

const DEFAULT_FIRST = 20;

@Resolver(() => Member)
export class MemberActivityResolver {
  @FieldResolver(() => LedgerEntryConnection, {
    nullable: true,
    description:
      "Every movement of the member's points (earns, redemptions, transfers, expiries, reversals, adjustments), newest first, a page at a time. " +
      "Only the member and admins see it.",
  })
  activity(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many entries, 1 to 100 (default 20)." }) first: number | null,
    @Arg("after", () => String, {
      nullable: true,
      description: "Continue after this entry: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the newest entries.",
    })
    after: string | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<LedgerEntryConnection> {
    requireSelf(identity, member.id);
    const key = { memberId: member.id, first: pageSize(first ?? DEFAULT_FIRST), after: after == null ? null : decodeCursor(after) };
    return loaders.activity.load(key);
  }
}
