import { Arg, Ctx, Directive, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { requireAdmin, requireSelf } from "../../../../shared/src/auth/policy";
import { appError } from "../../../../shared/src/errors";
import { recordAudit } from "../../../../shared/src/audit/record-audit";
import { memberDataAuditLine } from "../../../../shared/src/member-data/audit";
import { JSONScalar, type MemberDataPart, exportMemberData } from "../../../../shared/src/member-data/member-data-export";
import { withExample } from "../../../../shared/src/schema-docs";
import { requireId } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { ERASURE_FEED_PAGE, readErasureFeed } from "./erasure-feed";
import { MEMBER_DATA_TABLES } from "./member-data.tables";

/** The export document's format; bumped when its shape changes. */
export const MEMBER_DATA_EXPORT_FORMAT = "coalition-member-data/1";

/** Service-to-service only (the gateway): hidden from the public API by @inaccessible. */
@Directive("@inaccessible")
@ObjectType({ description: "Erased member ids a gateway has not read yet (erasures are never undone)." })
export class ErasureFeedPage {
  @Field(() => [ID], { description: `Erased members, at most ${ERASURE_FEED_PAGE.toLocaleString("en")} a page.` })
  memberIds!: string[];

  @Field(() => String, { description: "Pass back as `after` to read on from here." })
  next!: string;

  @Field(() => Boolean, { description: "False when the page is full: read on at once." })
  complete!: boolean;
}

@Resolver(() => Member)
export class MemberDataResolver {
  @Directive(`@requires(fields: "ledgerDataExport catalogDataExport partnersDataExport")`)
  @FieldResolver(() => JSONScalar, {
    nullable: true,
    description:
      "Everything the coalition holds about the member (GDPR article 15), as one JSON document: " +
      '`{ format, memberId, exportedAt, services: { members: { <table>: [rows] }, ledger: {…}, catalog: {…}, partners: {…} } }`. Each service contributes its own ' +
      "tables, every row of the member as stored (column names as in the database, times in ISO 8601): the profile, partner links and their " +
      "history, every ledger entry and transaction, lots, holds, purchases, running totals, adjustments, campaign bonuses, referrals, " +
      "redemptions and vouchers, and every service's audit lines about the member (the partners service holds nothing else about members). Only the member themself and admins (anyone else: FORBIDDEN); a service that cannot answer: UPSTREAM_UNAVAILABLE.",
  })
  async dataExport(@Root() member: Member, @Ctx() { identity, dataSource, requestId }: Context): Promise<unknown> {
    requireSelf(identity, member.id);
    const ledger = member.ledgerDataExport as MemberDataPart | null | undefined;
    const catalog = member.catalogDataExport as MemberDataPart | null | undefined;
    const partners = member.partnersDataExport as MemberDataPart | null | undefined;
    // A part missing means its service did not answer: never a partial export that looks complete.
    if (!ledger?.tables || !catalog?.tables || !partners?.tables) {
      throw appError("UPSTREAM_UNAVAILABLE", "A service holding part of the member's data did not answer; try again shortly");
    }
    // The export and its audit line in one transaction: no export leaves without its line.
    // REPEATABLE READ here: exportMemberData's own transaction is only a savepoint inside this one, which would read each table at another instant.
    const own = await dataSource.transaction("REPEATABLE READ", async (manager) => {
      const tables = await exportMemberData(manager, "members", MEMBER_DATA_TABLES, member.id);
      await recordAudit(manager, memberDataAuditLine("EXPORT_MEMBER_DATA", identity, member.id, requestId));
      return tables;
    });
    return {
      format: MEMBER_DATA_EXPORT_FORMAT,
      memberId: member.id,
      exportedAt: new Date().toISOString(),
      services: { members: own.tables, ledger: ledger.tables, catalog: catalog.tables, partners: partners.tables },
    };
  }

  @Mutation(() => Boolean, {
    description: withExample(
      "Erases a member (GDPR article 17): the member themself or an admin (anyone else: FORBIDDEN, whether the member exists or not). " +
        "The email, display name, partner account ids and link history are deleted from every service and every partner link ends; the remaining " +
        "points are forfeited by an ADJUSTMENT entry (reason ERASURE) and the ledger keeps its amounts under the member id, which identifies no one " +
        "once the profile is gone. A referral bonus the member's first purchase paid their referrer is withdrawn from the referrer while still pending " +
        "(an ADJUSTMENT entry, reason CORRECTION: that purchase can no longer be refunded); one already available stays the referrer's. The member's tokens are refused (UNAUTHENTICATED) from then on, and the email address may enrol again as a new member. " +
        "Idempotent: erasing an erased member answers true. Errors: FORBIDDEN, BAD_USER_INPUT (an id that is not a UUID), NOT_FOUND (admins: an id that was never a member's), UPSTREAM_UNAVAILABLE when the " +
        "ledger could not be reached: the personal data is already gone and the erasure completes by itself (or on a retry).",
      `mutation {
  eraseMember(id: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10")
}`,
    ),
  })
  async eraseMember(@Arg("id", () => ID, { description: "The member's id (a UUID); anything else is BAD_USER_INPUT." }) id: string, @Ctx() { identity, erasure, requestId }: Context): Promise<boolean> {
    const memberId = requireId(id, "id");
    // Decided before any lookup: "not yours" and "does not exist" read alike.
    requireSelf(identity, memberId);
    // The audit line commits with the removal of the personal data (step 1 of the saga).
    await erasure.erase(memberId, memberDataAuditLine("ERASE_MEMBER", identity, memberId, requestId));
    return true;
  }

  @Directive("@inaccessible")
  @Query(() => Boolean, { description: "Internal (the gateway): true once the member's erasure has begun, so their tokens are refused." })
  async memberErased(@Arg("id", () => ID, { description: "The member id a token names." }) id: string, @Ctx() { identity, erasure }: Context): Promise<boolean> {
    requireAdmin(identity);
    return erasure.isErased(requireId(id, "id"));
  }

  @Directive("@inaccessible")
  @Query(() => ErasureFeedPage, {
    description:
      "Internal (the gateway): the erasures after `after` (absent: all), so a gateway refuses erased members' tokens from what it read " +
      "instead of asking `memberErased` on every request. Admins only; a cursor the feed did not give is BAD_USER_INPUT.",
  })
  async erasureFeed(@Arg("after", () => String, { nullable: true, description: "`next` of the page before; absent to read from the beginning." }) after: string | null, @Ctx() { identity, dataSource }: Context): Promise<ErasureFeedPage> {
    requireAdmin(identity);
    return readErasureFeed(dataSource, after);
  }
}
