import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireAdmin, requirePartner } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Partner } from "../partner/partner.type";
import { SafeInt } from "../scalars";
import { ClearingReport, PartnerLiability, SettlementStatement } from "./statement.types";
import { AddPrepaidPointsInput, PartnerTerms, SetPartnerTermsInput } from "./terms.types";

const PERIOD_ARG = "A calendar month in UTC, written `YYYY-MM` (e.g. `2026-11`); anything else is BAD_USER_INPUT.";

/**
 * The clearing house's fields on Partner: its own apps and admins only (decided before any lookup).
 * Nullable, so a caller who may not read one gets it null with FORBIDDEN at its path and the partner's
 * public fields still read (non-null, the refusal nulled the whole partner, and a reward's with it).
 */
@Resolver(() => Partner)
export class PartnerClearingResolver {
  @FieldResolver(() => PartnerTerms, { nullable: true, description: "The partner's settlement terms in force now; null when it has none (it then settles at zero prices, POSTPAID). Its own apps and admins (null and FORBIDDEN for anyone else)." })
  terms(@Root() partner: Partner, @Ctx() { identity, terms }: Context): Promise<PartnerTerms | null> {
    requirePartner(identity, partner.id);
    return terms.current(partner.id);
  }

  @FieldResolver(() => [PartnerTerms], { nullable: true, description: "Every version of the partner's terms, oldest first (future ones included). Its own apps and admins (null and FORBIDDEN for anyone else)." })
  termsHistory(@Root() partner: Partner, @Ctx() { identity, terms }: Context): Promise<PartnerTerms[]> {
    requirePartner(identity, partner.id);
    return terms.history(partner.id);
  }

  @FieldResolver(() => SettlementStatement, {
    nullable: true,
    description: "The partner's settlement statement for a month: live while the month is open, as stored once closed. Its own apps and admins (null and FORBIDDEN for anyone else).",
  })
  statement(@Root() partner: Partner, @Arg("period", () => String, { description: PERIOD_ARG }) period: string, @Ctx() { identity, clearing }: Context): Promise<SettlementStatement> {
    requirePartner(identity, partner.id);
    return clearing.statement(partner.id, period);
  }

  @FieldResolver(() => SafeInt, { nullable: true, description: "Points a PREPAID partner may still issue (its top-ups less what it issued, net of refunds). Its own apps and admins (null and FORBIDDEN for anyone else)." })
  prepaidPointsRemaining(@Root() partner: Partner, @Ctx() { identity, terms }: Context): Promise<number> {
    requirePartner(identity, partner.id);
    return terms.prepaidRemaining(partner.id);
  }

  @FieldResolver(() => PartnerLiability, {
    nullable: true,
    description: "Points this partner issued that members still hold, their value at the prices charged, and the expected breakage rate. Its own apps and admins (null and FORBIDDEN for anyone else).",
  })
  liability(@Root() partner: Partner, @Ctx() { identity, terms }: Context): Promise<PartnerLiability> {
    requirePartner(identity, partner.id);
    return terms.liability(partner.id);
  }
}

@Resolver()
export class ClearingResolver {
  @Query(() => ClearingReport, {
    description: withExample(
      "Every partner's statement of a month and the coalition's totals (money in, money out, margin, float). Admins only. Errors: BAD_USER_INPUT.",
      `query {
  clearing(period: "2026-11") {
    status
    moneyIn
    moneyOut
    margin
    float
    statements { partner { id } netAmount }
  }
}`,
    ),
  })
  clearing(@Arg("period", () => String, { description: PERIOD_ARG }) period: string, @Ctx() { identity, clearing }: Context): Promise<ClearingReport> {
    requireAdmin(identity);
    return clearing.report(period);
  }

  @Query(() => PartnerLiability, {
    description: withExample(
      "The coalition's total liability: points outstanding across every issuer (the coalition's own included), their value at the prices charged, and the expected breakage rate. Admins only. Errors: FORBIDDEN (not an admin).",
      `query {
  coalitionLiability { pointsOutstanding value expectedBreakageRate currency }
}`,
    ),
  })
  coalitionLiability(@Ctx() { identity, terms }: Context): Promise<PartnerLiability> {
    requireAdmin(identity);
    return terms.liability(null);
  }

  @Mutation(() => PartnerTerms, {
    description: withExample(
      "Adds a version of a partner's settlement terms, in force from `effectiveFrom` (now when omitted; never in the past, after the latest version's). Movements already posted keep their values. Admins only. Errors: BAD_USER_INPUT (naming the field), NOT_FOUND.",
      `mutation {
  setPartnerTerms(input: { partnerId: "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", issuePricePer1000: 1000, redemptionPricePer1000: 800, breakageSharePercent: 50, billing: POSTPAID }) {
    version
    effectiveFrom
  }
}`,
    ),
  })
  setPartnerTerms(@Arg("input", () => SetPartnerTermsInput, { description: "The partner and its new terms." }) input: SetPartnerTermsInput, @Ctx() { identity, terms, requestId }: Context): Promise<PartnerTerms> {
    requireAdmin(identity);
    return terms.setTerms(input, { identity, requestId });
  }

  @Mutation(() => ClearingReport, {
    description: withExample(
      "Closes a month that has ended (UTC): every partner's statement is stored, numbered and hashed (chained to the previous period's), and later movements belong to the open period. Periods close in order, and a month with movements is never skipped; closing a closed one returns the same report. Admins only. Errors: BAD_USER_INPUT.",
      `mutation {
  closeSettlementPeriod(period: "2026-11") { status hash statements { partner { id } number hash netAmount } }
}`,
    ),
  })
  closeSettlementPeriod(@Arg("period", () => String, { description: PERIOD_ARG }) period: string, @Ctx() { identity, clearing, requestId }: Context): Promise<ClearingReport> {
    requireAdmin(identity);
    return clearing.close(period, { identity, requestId });
  }

  @Mutation(() => Partner, {
    description: withExample(
      "Tops up the allowance of points of a partner whose terms in force now are PREPAID (BAD_USER_INPUT otherwise, naming when its next PREPAID terms start); idempotent by (partner, reference). Admins only. Errors: BAD_USER_INPUT, IDEMPOTENCY_CONFLICT.",
      `mutation {
  addPrepaidPoints(input: { partnerId: "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b", points: 100000, reference: "INV-2026-0042" }) {
    prepaidPointsRemaining
  }
}`,
    ),
  })
  addPrepaidPoints(@Arg("input", () => AddPrepaidPointsInput, { description: "The partner, the points and the top-up's reference." }) input: AddPrepaidPointsInput, @Ctx() { identity, terms, requestId }: Context): Promise<Partner> {
    requireAdmin(identity);
    return terms.addPrepaidPoints(input, { identity, requestId });
  }
}
