import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { decodeIdCursor } from "../../../../shared/src/cursor";
import { pageSize } from "../../../../shared/src/validation";
import { requireAdmin, requirePartner, requireSelf } from "../../../../shared/src/auth/policy";
import type { TierLevel } from "../../../../shared/src/enums";
import { SafeInt } from "../scalars";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { Member } from "../member/member.type";
import { tierStanding } from "../rules";
import { CampaignConnection, campaignConnection } from "./campaign-connection.types";
import { CAMPAIGNS_LIST_LIMIT } from "./campaign.service";
import { Campaign } from "./campaign.type";
import { CreateCampaignInput } from "./create-campaign.input";

/** A connection's page size when `first` is not given, as every connection's (20); the lists keep their own. */
const DEFAULT_FIRST = 20;
/** `Member.offers` without `first`: the 100 it always listed. */
const OFFERS_LIST_FIRST = 100;

const RULES =
  "Bonuses are BONUS entries funded by the funder's issuance account, pending and expiring like the purchase they came with, never tier-qualifying. " +
  "Several campaigns may apply to one purchase, each at most once, in order of startsAt, then creation; a percent bonus is floor(base points × percent / 100). " +
  "A bonus is cut to what is left of the budget and of the member's cap; a refund takes bonuses back in proportion and returns them to the budget.";

@Resolver()
export class CampaignResolver {
  @Mutation(() => Campaign, {
    description: withExample(
      "Creates a campaign. Callers: admins (any funder, the coalition with fundedByPartnerId null, categories, other partners, and cross-brand conditions on " +
      "another partner's purchases, once that partner agrees), and a partner's app for campaigns it funds that cover purchases at itself only (its cross-brand " +
      "condition may name itself only: a repeat visit; on another partner's, its bonuses would tell it who shops there). " + RULES +
      " Errors: BAD_USER_INPUT naming the field (endsAt not after startsAt or in the past, neither or both of bonusPercent and bonusPoints, out-of-range " +
      "numbers, unknown partners, a partner app covering other partners or categories or naming another partner's purchases), FORBIDDEN (funding another partner or the coalition); nothing is written then.",
      `mutation {
  createCampaign(input: { name: "2× at the café after the bookstore", fundedByPartnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", bonusPercent: 100,
    afterPurchaseAtPartnerId: "7a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b", afterPurchaseWithinDays: 7,
    startsAt: "2026-12-01T00:00:00Z", endsAt: "2026-12-24T00:00:00Z", budgetPoints: 100000, maxBonusPerMember: 500 }) {
    id
    status
    budgetRemaining
  }
}`,
    ),
  })
  createCampaign(
    @Arg("input", () => CreateCampaignInput, { description: "The campaign's settings." }) input: CreateCampaignInput,
    @Ctx() { identity, campaigns, requestId }: Context,
  ): Promise<Campaign> {
    return campaigns.create(identity, input, requestId);
  }

  @Mutation(() => Campaign, {
    description: withExample(
      "Ends a campaign now: purchases recorded afterwards earn no bonus from it. Callers: its funder's app, admins (and only admins for coalition campaigns). Ending it again changes nothing. " +
        "Errors: NOT_FOUND (no such campaign, or not the caller's: the two read alike), FORBIDDEN (members), BAD_USER_INPUT (an id that is not a UUID).",
      `mutation {
  endCampaign(id: "3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d") {
    status
    endedAt
    pointsAwarded
  }
}`,
    ),
  })
  endCampaign(@Arg("id", () => ID, { description: "The campaign's id." }) id: string, @Ctx() { identity, campaigns, requestId }: Context): Promise<Campaign> {
    return campaigns.end(identity, id, requestId);
  }

  @Query(() => [Campaign], {
    description: withExample(
      "Campaigns newest first (the newest 200; page through all with `campaignsConnection`): those funded by `partnerId` (that partner's app, or admins), or every campaign (admins, without partnerId). " +
        "Errors: FORBIDDEN (another partner's campaigns, or all of them, asked by anyone but an admin), BAD_USER_INPUT (a partnerId that is not a UUID).",
      `query {
  campaigns(partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", activeOnly: true) {
    id
    name
    status
    pointsAwarded
    membersRewarded
    budgetRemaining
  }
}`,
    ),
  })
  campaigns(
    @Arg("partnerId", () => ID, { nullable: true, description: "Only the campaigns this partner funds." }) partnerId: string | null,
    @Arg("activeOnly", () => Boolean, { nullable: true, defaultValue: false, description: "Only campaigns active now (started, not ended, budget left)." }) activeOnly: boolean,
    @Ctx() { identity, campaigns }: Context,
  ): Promise<Campaign[]> {
    return campaigns.list(identity, partnerId ?? null, activeOnly ?? false, CAMPAIGNS_LIST_LIMIT);
  }

  @Query(() => CampaignConnection, {
    description: withExample(
      "`campaigns` a page at a time, as a cursor connection (newest first: creation time, then id): pass `pageInfo.endCursor` as `after` while `pageInfo.hasNextPage` " +
        "is true; every campaign, where `campaigns` lists the newest 200. Callers as for `campaigns`. A cursor of a campaign this list does not hold gives an empty page. " +
        "Errors: FORBIDDEN (another partner's campaigns, or all of them, asked by anyone but an admin), BAD_USER_INPUT (a partnerId that is not a UUID; `first` outside 1 to 100; " +
        "on `after`, a cursor that is not a campaign's).",
      `query {
  campaignsConnection(partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", first: 20) {
    edges { node { id name status budgetRemaining } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    ),
  })
  async campaignsConnection(
    @Arg("partnerId", () => ID, { nullable: true, description: "Only the campaigns this partner funds." }) partnerId: string | null,
    @Arg("activeOnly", () => Boolean, { nullable: true, defaultValue: false, description: "Only campaigns active now (started, not ended, budget left)." }) activeOnly: boolean,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this campaign: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the newest." })
    after: string | null,
    @Ctx() { identity, campaigns }: Context,
  ): Promise<CampaignConnection> {
    const size = pageSize(first ?? DEFAULT_FIRST);
    const afterId = after == null ? null : decodeIdCursor("campaign", after);
    return campaignConnection(await campaigns.list(identity, partnerId ?? null, activeOnly ?? false, size + 1, afterId), size);
  }
}

@Resolver(() => Member)
export class MemberOffersResolver {
  @FieldResolver(() => [Campaign], {
    nullable: true,
    description:
      "Campaigns active now this member could benefit from: within their per-member cap, at their tier, welcome offers at partners they have not bought from, " +
      "and cross-brand offers while they earned at the other partner within the window; in the order their bonuses apply (startsAt, then creation), the first `first` of them " +
      "(page through all with `offersConnection`). Only the member and admins see them.",
  })
  async offers(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: OFFERS_LIST_FIRST, description: "How many, 1 to 100 (default 100)." }) first: number | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<Campaign[]> {
    requireSelf(identity, member.id);
    const tier = tierStanding((await loaders.standing.load(member.id)).qualifying).current as TierLevel;
    return loaders.offers.load({ memberId: member.id.toLowerCase(), tier, limit: pageSize(first ?? OFFERS_LIST_FIRST), after: null });
  }

  @FieldResolver(() => CampaignConnection, {
    nullable: true,
    description:
      "`offers` a page at a time, as a cursor connection (the order bonuses apply in): pass `pageInfo.endCursor` as `after` while `pageInfo.hasNextPage` is true. " +
      "Each page is evaluated when it is asked for, as of that moment. Only the member and admins see them; BAD_USER_INPUT on `after` for a cursor that is not a campaign's.",
  })
  async offersConnection(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this campaign: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the first." })
    after: string | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<CampaignConnection> {
    requireSelf(identity, member.id);
    const size = pageSize(first ?? DEFAULT_FIRST);
    const afterId = after == null ? null : decodeIdCursor("campaign", after);
    const tier = tierStanding((await loaders.standing.load(member.id)).qualifying).current as TierLevel;
    return campaignConnection(await loaders.offers.load({ memberId: member.id.toLowerCase(), tier, limit: size + 1, after: afterId }), size);
  }
}

@Resolver(() => LedgerEntry)
export class LedgerEntryBonusesResolver {
  @FieldResolver(() => [LedgerEntry], { description: "For an EARN entry, the BONUS entries (campaigns, referral) that came with it for the same member; empty otherwise." })
  async bonuses(@Root() entry: LedgerEntry, @Ctx() { loaders }: Context): Promise<LedgerEntry[]> {
    if (entry.kind !== "EARN") return [];
    return (await loaders.bonuses.load(entry.id)).map((row) => row.entry);
  }

  @FieldResolver(() => Campaign, { nullable: true, description: "For a campaign's BONUS entry, the campaign; null for referral bonuses and other entries." })
  campaign(@Root() entry: LedgerEntry, @Ctx() { loaders }: Context): Promise<Campaign | null> {
    if (entry.kind !== "BONUS") return Promise.resolve(null);
    return loaders.entryCampaign.load(entry.id);
  }
}

/**
 * What a campaign spends is its funder's business: only the funder's app and admins (admins alone for
 * coalition campaigns) read these; anyone else reaching a campaign (a member's offers, another
 * partner's purchase's bonuses) gets null and FORBIDDEN for each.
 */
const requireFunderOrAdmin = (identity: Context["identity"], campaign: Campaign) =>
  campaign.fundedBy ? requirePartner(identity, campaign.fundedBy.id) : requireAdmin(identity);
const FUNDER_ONLY = " Only the funder's app and admins (admins alone for coalition campaigns); anyone else gets null and FORBIDDEN.";

@Resolver(() => Campaign)
export class CampaignFiguresResolver {
  @FieldResolver(() => SafeInt, { nullable: true, description: `The total bonus points the campaign may award; null: no limit.${FUNDER_ONLY}` })
  budgetPoints(@Root() campaign: Campaign, @Ctx() { identity }: Context): number | null {
    requireFunderOrAdmin(identity, campaign);
    return campaign.budgetPoints;
  }

  @FieldResolver(() => SafeInt, { nullable: true, description: `Bonus points awarded so far, less what refunds took back (what the funder is charged for).${FUNDER_ONLY}` })
  pointsAwarded(@Root() campaign: Campaign, @Ctx() { identity }: Context): number {
    requireFunderOrAdmin(identity, campaign);
    return campaign.pointsAwarded;
  }

  @FieldResolver(() => SafeInt, { nullable: true, description: `Members who got at least one bonus from it.${FUNDER_ONLY}` })
  membersRewarded(@Root() campaign: Campaign, @Ctx() { identity }: Context): number {
    requireFunderOrAdmin(identity, campaign);
    return campaign.membersRewarded;
  }

  @FieldResolver(() => SafeInt, { nullable: true, description: `budgetPoints − pointsAwarded; null without a budget.${FUNDER_ONLY}` })
  budgetRemaining(@Root() campaign: Campaign, @Ctx() { identity }: Context): number | null {
    requireFunderOrAdmin(identity, campaign);
    return campaign.budgetRemaining;
  }

  @FieldResolver(() => SafeInt, {
    nullable: true,
    description:
      "What the campaign's bonuses have cost its funder so far, in minor units of the settlement currency (SETTLEMENT_CURRENCY): the bonus points still " +
      "standing (awarded, less what refunds took back) at the issue price each was charged at, rounded once like a statement line. The same money is in " +
      "the funder's statement (the BONUSES_ISSUED line). Only the funder's app and admins (admins alone for coalition campaigns, which cost no partner " +
      "anything and read 0); anyone else gets null and FORBIDDEN.",
  })
  costSoFar(@Root() campaign: Campaign, @Ctx() { identity, loaders }: Context): Promise<number> {
    requireFunderOrAdmin(identity, campaign);
    return loaders.campaignCost.load(campaign.id);
  }
}
