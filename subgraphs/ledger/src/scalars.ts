import { GraphQLScalarType } from "graphql";
import { SafeIntResolver } from "graphql-scalars";

/**
 * graphql-scalars' SafeInt (whole numbers within ±(2^53 − 1), exact as JSON numbers in JavaScript),
 * with a description that says why it is used: for totals across many members that can outgrow
 * `Int`'s 2^31 − 1. Per-member figures stay `Int` (capped when written; README, Ranges).
 */
export const SafeInt = new GraphQLScalarType({
  ...SafeIntResolver.toConfig(),
  description:
    "A whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991 (±(2^53 − 1), exact in a JavaScript number and in JSON). " +
    "Used for points totals across many members (a partner's settlement), which can pass the 2,147,483,647 of `Int`.",
});
