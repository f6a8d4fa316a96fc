import { Field, Float, ObjectType, registerEnumType } from "type-graphql";
import { Partner } from "../partner/partner.type";
import { SafeInt } from "../scalars";

export enum SettlementStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
registerEnumType(SettlementStatus, {
  name: "SettlementStatus",
  description: "Whether a period's figures can still move.",
  valuesConfig: {
    OPEN: { description: "Not closed yet: the figures are live and grow with every movement posted in the period." },
    CLOSED: { description: "Closed by closeSettlementPeriod: stored, numbered, hashed; a movement posted later belongs to the open period." },
  },
});

export enum SettlementLineKind {
  PURCHASES_ISSUED = "PURCHASES_ISSUED",
  BONUSES_ISSUED = "BONUSES_ISSUED",
  ADJUSTMENTS = "ADJUSTMENTS",
  REFUNDS = "REFUNDS",
  REDEMPTIONS = "REDEMPTIONS",
  REDEMPTION_CANCELLATIONS = "REDEMPTION_CANCELLATIONS",
  BREAKAGE = "BREAKAGE",
  OTHER = "OTHER",
}
registerEnumType(SettlementLineKind, {
  name: "SettlementLineKind",
  description: "A line of a statement: one kind of movement, summed over the period, valued and rounded once.",
  valuesConfig: {
    PURCHASES_ISSUED: { description: "Points issued for purchases (tier bonus included), charged at the issue price." },
    BONUSES_ISSUED: { description: "Bonus points the partner funded, charged at the issue price." },
    ADJUSTMENTS: { description: "Adjustments the partner funded (negative when points went back to it), at the issue price." },
    REFUNDS: { description: "Points clawed back by refunds, credited at the price they were charged." },
    REDEMPTIONS: { description: "Points redeemed for the partner's rewards, paid at its redemption price." },
    REDEMPTION_CANCELLATIONS: { description: "Redemptions cancelled: what was paid for them is taken back." },
    BREAKAGE: { description: "Points the partner issued that expired, or that a member's erasure forfeited (points never to be redeemed): its breakage share of the price they were charged is credited." },
    OTHER: { description: "Movements no valuation rule covers yet: counted in points, worth nothing." },
  },
});

@ObjectType({ description: "One line of a statement." })
export class SettlementLine {
  @Field(() => SettlementLineKind, { description: "Which movements." })
  kind!: SettlementLineKind;

  @Field(() => SafeInt, { description: "Their points in the period." })
  points!: number;

  @Field(() => SafeInt, { description: "Their value in minor units, rounded once for the line (half away from zero); positive: owed by the partner, negative: owed to it." })
  amount!: number;
}

@ObjectType({ description: "What one other partner and this one did with each other's points in the period (which lot paid for a redemption decides it)." })
export class SettlementCounterpart {
  @Field(() => Partner, { description: "The other partner." })
  partner!: Partner;

  @Field(() => SafeInt, { description: "Points this partner issued that members redeemed at the other partner (net of cancellations)." })
  pointsIssuedRedeemedThere!: number;

  @Field(() => SafeInt, { description: "Points members redeemed at this partner that the other partner issued (net of cancellations)." })
  pointsRedeemedHereIssuedThere!: number;
}

@ObjectType({
  description:
    "A partner's settlement statement for one calendar month in UTC: what it owes the coalition and is owed, from the movements posted in that month, each valued at the terms in force when it was posted. " +
    "Amounts are whole minor units of the settlement currency, each line rounded once (half away from zero); every total is a sum of lines. Totals are SafeInt.",
})
export class SettlementStatement {
  @Field(() => Partner, { description: "The partner." })
  partner!: Partner;

  @Field(() => String, { description: "The month, `YYYY-MM` (UTC)." })
  period!: string;

  @Field(() => SettlementStatus, { description: "OPEN (live) or CLOSED (stored and hashed)." })
  status!: SettlementStatus;

  @Field(() => String, { description: "The settlement currency (SETTLEMENT_CURRENCY)." })
  currency!: string;

  @Field(() => SafeInt, { nullable: true, description: "The statement's number once closed (numbered in the order statements were closed); null while open." })
  number!: number | null;

  @Field(() => String, { nullable: true, description: "Once closed: SHA-256 (hex) of the previous closed statement's hash of this partner and this statement's canonical content; null while open." })
  hash!: string | null;

  @Field(() => SafeInt, { description: "Points issued: purchases (tier bonus included), bonuses and adjustments it funded." })
  pointsIssued!: number;

  @Field(() => SafeInt, { description: "Points refunds took back." })
  pointsReversed!: number;

  @Field(() => SafeInt, { description: "Points redeemed for its rewards, net of cancellations." })
  pointsRedeemed!: number;

  @Field(() => SafeInt, { description: "Points it issued that expired or that a member's erasure forfeited (the BREAKAGE line), less those refunds took back off its breakage: negative in a period whose refunds took back more than expired in it." })
  pointsExpired!: number;

  @Field(() => SafeInt, { description: "What the issued points cost it (sum of the issued lines)." })
  issuedAmount!: number;

  @Field(() => SafeInt, { description: "What refunds credit it (negative)." })
  reversedAmount!: number;

  @Field(() => SafeInt, { description: "What the coalition pays it for redemptions, net of cancellations (negative)." })
  redeemedAmount!: number;

  @Field(() => SafeInt, { description: "Its breakage share of expired and forfeited points (negative), less what refunds gave back of it: positive in a period whose refunds took back more than expired in it." })
  expiredAmount!: number;

  @Field(() => SafeInt, { description: "The sum of every line: positive, the partner owes the coalition; negative, the coalition owes the partner." })
  netAmount!: number;

  @Field(() => [SettlementLine], { description: "The lines, in a fixed order; a line with no movement is left out." })
  lines!: SettlementLine[];

  @Field(() => [SettlementCounterpart], { description: "Every other partner whose points were redeemed here, or where this partner's points were redeemed." })
  counterparts!: SettlementCounterpart[];
}

@ObjectType({ description: "Every partner's statement of a period and the coalition's totals. Admins only." })
export class ClearingReport {
  @Field(() => String, { description: "The month, `YYYY-MM` (UTC)." })
  period!: string;

  @Field(() => SettlementStatus, { description: "OPEN or CLOSED." })
  status!: SettlementStatus;

  @Field(() => String, { description: "The settlement currency." })
  currency!: string;

  @Field(() => Date, { nullable: true, description: "When it was closed (the ledger's clock); null while open." })
  closedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Once closed: SHA-256 (hex) of the previous closed period's hash and this report's canonical content (its statements' hashes included)." })
  hash!: string | null;

  @Field(() => [SettlementStatement], { description: "Each partner's statement (partners with movements in the period or with terms), by partner id." })
  statements!: SettlementStatement[];

  @Field(() => SafeInt, { description: "Money in: what partners are charged (issued lines and cancelled redemptions), in minor units." })
  moneyIn!: number;

  @Field(() => SafeInt, { description: "Money out: what partners are credited or paid (refunds, redemptions, breakage shares), in minor units (a positive number)." })
  moneyOut!: number;

  @Field(() => SafeInt, { description: "The operator's margin for the period: money in less money out (the sum of every statement's netAmount)." })
  margin!: number;

  @Field(() => SafeInt, { description: "The float: the operator's margin summed over every period up to and including this one (money held against points still outstanding)." })
  float!: number;

  @Field(() => SafeInt, { description: "Points the coalition itself funded in the period (its own bonuses and adjustments): counted, never charged to a partner." })
  coalitionPointsIssued!: number;
}

@ObjectType({ description: "Points a partner issued that members still hold (not redeemed, reversed or expired), and what they were charged." })
export class PartnerLiability {
  @Field(() => Partner, { nullable: true, description: "The issuer; null for the coalition's total." })
  partner!: Partner | null;

  @Field(() => SafeInt, { description: "Points outstanding: what members hold of its points now (issued and not yet redeemed, reversed, expired or forfeited), from its lots. Points past their expiry are not outstanding, even before the expiry run posts them (they are never spendable). The same lots as Partner.settlement's outstandingLiability." })
  pointsOutstanding!: number;

  @Field(() => SafeInt, { description: "Their value at the issue prices they were charged, in minor units (rounded once)." })
  value!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Expected breakage rate from the last 12 months' history: points expired ÷ (points expired + points redeemed) of this issuer's points in the 12 periods before the current one; null without such history.",
  })
  expectedBreakageRate!: number | null;

  @Field(() => String, { description: "The settlement currency." })
  currency!: string;
}
