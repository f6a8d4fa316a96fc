import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { ALLOWED, denyFor, isAdmin, requireAdmin, requireSelf, requireSelfOrLinkedPartner, requireSignedIn } from "../../../../shared/src/auth/policy";
import { decodeIdCursor, encodeIdCursor, pageOf } from "../../../../shared/src/cursor";
import { selectsOnly, setCacheHint } from "../../../../shared/src/cache-hints";
import { badInput } from "../../../../shared/src/errors";
import { withExample } from "../../../../shared/src/schema-docs";
import { pageSize, requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { PartnerAccountStatus } from "../partner-account/partner-account-status";
import { EnrollMemberInput } from "./enroll-member.input";
import { Member } from "./member.type";
import { MemberConnection, MemberEdge } from "./member-connection.type";

/**
 * How long the gateway may keep a member's own existence check for that member (`member(id)` with `id`
 * alone: the first call of nearly every page of a member's app). Only erasure ends a member, and the
 * gateway refuses an erased member's token before it looks at what it keeps (README, Entity cache).
 */
export const SELF_EXISTENCE_MAX_AGE_SECONDS = 600;

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, {
    nullable: true,
    description: withExample(
      "A member by id; null when there is none. Callers: the member themself, admins, and the apps of partners the member has an ACTIVE link with " +
        "(which see only `id`, `displayName`, `tier` and `balance.available`). Anyone else gets FORBIDDEN (UNAUTHENTICATED without credentials), " +
        "whether the member exists or not. Errors: FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT (an id that is not a UUID).",
      `query {
  member(id: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10") {
    displayName
    tier
    balance { available pending }
    tierProgress { next pointsToNext }
  }
}`,
    ),
  })
  async member(
    @Arg("id", () => ID, { description: "The member's id (a UUID); anything else is BAD_USER_INPUT." }) id: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Member | null> {
    const memberId = requireId(id, "id");
    // Decided before the lookup: "not yours" and "does not exist" get the same answer.
    await requireSelfOrLinkedPartner(context.identity, memberId, () => linkedPartners(context, memberId));
    const member = await context.loaders.member.load(memberId);
    if (member) await context.members.auditProfileReads({ identity: context.identity, requestId: context.requestId }, [memberId]);
    // Their own existence, asked by the member: the same answer for as long as their token is accepted. Anything more
    // (a name, an email) can change at any moment, and what a partner app may read ends with its link: never hinted.
    const ownExistence = member && context.identity.kind === "member" && context.identity.memberId === memberId && selectsOnly(info, ["id"]);
    if (ownExistence) setCacheHint(info, { maxAge: SELF_EXISTENCE_MAX_AGE_SECONDS, scope: "PRIVATE" });
    return member;
  }

  @Query(() => Member, {
    nullable: true,
    description: withExample(
      "A member by email address (case-insensitive); null when there is none. Admins may look up any address, a member only their own " +
        "(any other address is FORBIDDEN, enrolled or not); partner apps may not use it. Errors: FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT (not an email address).",
      `query {
  memberByEmail(email: "ada@example.com") {
    id
    displayName
    balance { available }
    eligibleRewards(first: 3) { title costPoints }
  }
}`,
    ),
  })
  async memberByEmail(
    @Arg("email", () => String, { description: "The email address; surrounding spaces and case are ignored. Not an email address: BAD_USER_INPUT." }) email: string, @Ctx() { identity, members, requestId }: Context): Promise<Member | null> {
    requireSignedIn(identity);
    if (identity.kind === "partner") throw denyFor(identity, ALLOWED.self);
    const record = await members.findByEmail(email);
    // A member may look up only their own address; anything else reads as forbidden, found or not.
    if (!isAdmin(identity) && record?.id !== (identity.kind === "member" ? identity.memberId : null)) throw denyFor(identity, ALLOWED.self);
    if (record) await members.auditProfileReads({ identity, requestId }, [record.id]);
    return record && Member.from(record);
  }

  @Query(() => [Member], {
    description: withExample(
      "Admins only: members in enrolment order, a page at a time: pass the last id you got as `after`. An empty list means there are no more. Kept for existing clients; new ones use `membersConnection`. " +
        "Errors: FORBIDDEN (not an admin), BAD_USER_INPUT (`first` outside 1 to 100, an `after` that is no member's id).",
      `query {
  members(first: 10) { id email displayName enrolledAt }
}`,
    ),
  })
  async members(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number | null,
    @Arg("after", () => ID, { nullable: true, description: "Id of the last member of the previous page; omit for the first page. An id that is no member's is BAD_USER_INPUT." }) after: string | null,
    @Ctx() { identity, members, requestId }: Context,
  ): Promise<Member[]> {
    requireAdmin(identity);
    const page = await members.list(pageSize(first ?? 20), after);
    await members.auditProfileReads({ identity, requestId }, page.map((member) => member.id));
    return page.map(Member.from);
  }

  @Query(() => MemberConnection, {
    description: withExample(
      "Admins only: members in enrolment order, a page at a time, as a cursor connection (what Apollo Client's `relayStylePagination` and urql's `relayPagination` page through): " +
        "pass `pageInfo.endCursor` as `after` while `pageInfo.hasNextPage` is true. Errors: FORBIDDEN (not an admin), BAD_USER_INPUT (`first` outside 1 to 100, a cursor this field did not give, " +
        "or one whose member has been erased since: a cursor is its member's place, gone with it; start again from the first page).",
      `query {
  membersConnection(first: 10) {
    edges { cursor node { id email displayName enrolledAt } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    ),
  })
  async membersConnection(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this member: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the first page." })
    after: string | null,
    @Ctx() { identity, members, requestId }: Context,
  ): Promise<MemberConnection> {
    requireAdmin(identity);
    const size = pageSize(first ?? 20);
    const afterId = after == null ? null : decodeIdCursor("member", after);
    const { items, hasNextPage } = pageOf(await members.list(size + 1, afterId), size);
    // Like `members`: each member of the page an admin read is one READ_MEMBER_PROFILE line (the extra row fetched to see whether a page follows is not read).
    await members.auditProfileReads({ identity, requestId }, items.map((record) => record.id));
    const edges = items.map((record) => Object.assign(new MemberEdge(), { cursor: encodeIdCursor("member", record.id), node: Member.from(record) }));
    return Object.assign(new MemberConnection(), { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } });
  }

  @Mutation(() => Member, {
    description: withExample(
      "Enrols a new member with a zero balance at the BASE tier. Callers: admins, and partner apps enrolling a customer at their till. " +
        "For an admin an address already enrolled is a CONFLICT. A partner app gets the same answer whether the address is new or already enrolled, " +
        "so it cannot learn who is a member: the member's id (enough to record the purchase), and a PENDING link from the partner for the member to approve " +
        "(approvePartnerLink); nothing else of the member is readable to it until then (`email`, `displayName`, `tier`, `balance` are FORBIDDEN, in both cases). " +
        "Errors: BAD_USER_INPUT (with `extensions.field`), CONFLICT (admins: the email address is already enrolled; partner apps: `externalId` is another member's).",
      `mutation {
  enrollMember(input: { email: "grace@example.com", displayName: "Grace Hopper" }) {
    id
  }
}`,
    ),
  })
  async enrollMember(@Arg("input", () => EnrollMemberInput, { description: "The new member's email address and name." }) input: EnrollMemberInput, @Ctx() { identity, members, requestId }: Context): Promise<Member> {
    // Partner apps enrol at their till and must not learn whether the address was enrolled already.
    if (identity.kind === "partner") return Member.from(await members.enrollAtTill(identity.partnerId, input, { identity, requestId }));
    requireAdmin(identity);
    if (input.externalId != null) throw badInput("externalId is for partner apps enrolling at their till; admins link accounts with linkPartnerAccount", "externalId");
    return Member.from(await members.enroll(input, { identity, requestId }));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The member's referral code (16 characters), to give to friends: enrolled with it (`EnrollMemberInput.referralCode`), both get a bonus on the friend's first purchase (a refund of that purchase takes both back in proportion; the friend's erasure while the referrer's is still pending withdraws the referrer's, which is theirs for good once available). Only the member and admins see it.",
  })
  async referralCode(@Root() member: Member, @Ctx() { identity, loaders }: Context): Promise<string> {
    requireSelf(identity, member.id);
    return member.referralCode ?? (await loaders.member.load(member.id))!.referralCode!;
  }

  // Nullable: a caller who may not read it (a partner app) gets null and a FORBIDDEN error for this field
  // alone, not the whole member (a non-null field's error nulls its parent).
  @FieldResolver(() => String, { nullable: true, description: "Email address, lowercased; unique across the coalition. Only the member and admins see it (null and FORBIDDEN for anyone else)." })
  email(@Root() member: Member, @Ctx() { identity }: Context): string {
    requireSelf(identity, member.id);
    return member.email;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Name shown to the member and to the partners they agreed to. Seen by the member, admins and the apps of partners with an ACTIVE link (null and FORBIDDEN for anyone else).",
  })
  async displayName(@Root() member: Member, @Ctx() context: Context): Promise<string> {
    await requireSelfOrLinkedPartner(context.identity, member.id, () => linkedPartners(context, member.id));
    return member.displayName;
  }

  @FieldResolver(() => Date, { nullable: true, description: "When the member enrolled (UTC). Only the member and admins see it (null and FORBIDDEN for anyone else)." })
  enrolledAt(@Root() member: Member, @Ctx() { identity }: Context): Date {
    requireSelf(identity, member.id);
    return member.enrolledAt;
  }
}

/** The partners the member agreed to: only an ACTIVE link gives a partner a view of the member. */
async function linkedPartners(context: Context, memberId: string): Promise<string[]> {
  const accounts = await context.loaders.partnerAccounts.load(memberId);
  return accounts.filter((account) => account.status === PartnerAccountStatus.ACTIVE).map((account) => account.partnerId);
}
