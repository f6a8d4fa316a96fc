import { createHash } from "node:crypto";
import * as sql from "../../subgraphs/ledger/src/sql";
import type { FunctionDefinition } from "../../subgraphs/ledger/src/sql";

/**
 * What a migration installed never changes: each earlier definition of a ledger function (exported from
 * subgraphs/ledger/src/sql as `…_BEFORE_…`, `…_AS_FIRST_INSTALLED`, …) is generated from the same code
 * as the current one, less later steps, so an edit meant for the current definition can change an
 * earlier one unseen (one did: a frozen apply_campaign_bonuses built with the matches of before
 * CrossBrandEarned1734340000000, which CampaignAwardGuards1734800000000 would then have installed). Each
 * definition's fingerprint is pinned here. When a migration replaces a current definition: give the new
 * current one its new fingerprint, and the `…_BEFORE_<migration>` name the fingerprint the current one
 * had (copied from this table, not from the test's output: that is the check).
 */
const PINNED: Record<string, string> = {
  "RECORD_PURCHASES": "b0fa1eeb9d4b16ac",
  "RECORD_PURCHASES_BEFORE_CAMPAIGNS": "9d06892ddcd16c5c",
  "RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER": "d0275b7b651892f9",
  "RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP": "7efc059a3391aba4",
  "RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS": "b1450d4681900c5b",
  "RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE": "198a64a32b0de84d",
  "RECORD_PURCHASES_BEFORE_ERASURES": "10d437e61181d27e",
  "RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE": "f508b0381230cbd8",
  "RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS": "6b87e5af3210463e",
  "RECORD_PURCHASES_UNPRICED": "a39eed70c4ad947f",
  "APPLY_CAMPAIGN_BONUSES": "98c967b3ff7dee34",
  "POST_BONUS": "b83c16855c139d63",
  "REPAY_DEBT_IN_TIME_ORDER": "960bb141a74c2383",
  "APPLY_CAMPAIGN_BONUSES_ANY_SCAN": "2ddbeffa761011ec",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS": "d7969693def15ccf",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK": "f918a369fe17c694",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER": "49bdab90f5084f90",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP": "edc80b9783323edd",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED": "88e86f4906dd375d",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE": "90e240c0c7329a72",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS": "dd04b061996ea321",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS": "30ce99c5b3c83a59",
  "APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS": "6dc20103be0eee86",
  "APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS": "8f6d890c02bf8e66",
  "APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE": "8d6bc139b579e64d",
  "APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS": "e3c1217456d6bd3c",
  "CLEARING_FUNCTIONS[0]": "c356f3865c7e49db",
  "CLEARING_FUNCTIONS[1]": "c3902ef02f879621",
  "CLEARING_FUNCTIONS[2]": "29df9e27dd32a25c",
  "CLEARING_FUNCTIONS[3]": "3cae95715bc1b0be",
  "CLEARING_FUNCTIONS[4]": "3929229f6d22d6f1",
  "CLEARING_FUNCTIONS_AS_FIRST_INSTALLED[0]": "c356f3865c7e49db",
  "CLEARING_FUNCTIONS_AS_FIRST_INSTALLED[1]": "c3902ef02f879621",
  "CLEARING_FUNCTIONS_AS_FIRST_INSTALLED[2]": "167e1a5b710b1b39",
  "CLEARING_FUNCTIONS_AS_FIRST_INSTALLED[3]": "3cae95715bc1b0be",
  "CLEARING_FUNCTIONS_AS_FIRST_INSTALLED[4]": "d37d98f1ab4dbbf8",
  "CLEARING_PRICE_LOT": "3929229f6d22d6f1",
  "CLEARING_PRICE_LOT_AS_FIRST_INSTALLED": "d37d98f1ab4dbbf8",
  "CLEARING_VALUE_POSTINGS": "29df9e27dd32a25c",
  "CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENT_TAKES": "d330083f76190354",
  "CLEARING_VALUE_POSTINGS_BEFORE_LOT_ORIGINS": "1b77c31d581f9b0d",
  "CLEARING_VALUE_POSTINGS_BEFORE_REFUNDED_BREAKAGE": "bd9042bedd09118c",
  "CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK": "5383ce5a7a128c5d",
  "CLEARING_VALUE_POSTINGS_AS_FIRST_INSTALLED": "167e1a5b710b1b39",
  "CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS": "68ba80e733638abd",
};

const fingerprint = (definition: FunctionDefinition) => createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 16);

function definitions(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(sql)) {
    if (name === "LEDGER_FUNCTIONS" || !value || typeof value !== "object") continue;
    if (Array.isArray(value)) value.forEach((definition, i) => (found[`${name}[${i}]`] = fingerprint(definition)));
    else if ("body" in value) found[name] = fingerprint(value as FunctionDefinition);
  }
  return found;
}

describe("the ledger's SQL function definitions, current and earlier", () => {
  it("are exactly as pinned (an earlier one never changes)", () => {
    expect(definitions()).toEqual(PINNED);
  });
});
