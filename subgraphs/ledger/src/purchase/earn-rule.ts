/** What the ledger needs to know of a partner to turn a purchase into points (the formula is ../rules/earn.ts). */
export interface EarnRule {
  id: string;
  pointsPerUnit: number;
  currency: string;
  returnWindowDays: number;
  /** The partner's category: campaigns may cover a category (campaign/partner-categories.ts keeps the ledger's copy). */
  category: string;
}
