import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import { groupLoader } from "../../../../shared/src/loaders";
import type { Clock } from "../clock";
import { safeIntegerFromSql } from "../limits";
import { roundLine } from "../rules/clearing";
import { exactValueSql } from "../sql/clearing";
import { findEntries } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import type { Campaign } from "./campaign.type";
import { CAMPAIGN_COLUMNS, type CampaignRow, toCampaign } from "./campaign.row";

/** The BONUS entries that came with each EARN entry (the same member's), in the order they were posted. */
export function createBonusesLoader(manager: EntityManager) {
  return groupLoader<string, { earnId: string; entry: LedgerEntry }>(
    async (earnIds) => {
      const rows: { earn_id: string; bonus_id: string }[] = await manager.query(
        `SELECT ep.id AS earn_id, bp.id AS bonus_id
         FROM postings ep
         JOIN campaign_bonuses b ON b.earn_transaction_id = ep.transaction_id AND b.member_id = ep.member_id
         JOIN postings bp ON bp.transaction_id = b.transaction_id AND bp.member_id = b.member_id
         WHERE ep.id = ANY($1::uuid[]) AND ep.entry_kind = 'EARN'
         ORDER BY bp.seq`,
        [earnIds],
      );
      const entries = new Map((await findEntries(manager, rows.map((r) => r.bonus_id))).map((e) => [e.id, e]));
      return rows.map((r) => ({ earnId: r.earn_id, entry: entries.get(r.bonus_id)! }));
    },
    (row) => row.earnId,
  );
}

/** The campaign a BONUS entry came from (null for referral bonuses and every other entry). */
export function createEntryCampaignLoader(manager: EntityManager, clock: Clock) {
  return new DataLoader<string, Campaign | null>(async (entryIds) => {
    const rows: (CampaignRow & { entry_id: string })[] = await manager.query(
      `SELECT p.id AS entry_id, ${CAMPAIGN_COLUMNS} FROM postings p
       JOIN campaign_bonuses b ON b.transaction_id = p.transaction_id
       JOIN campaigns c ON c.id = b.campaign_id JOIN campaign_totals t ON t.campaign_id = c.id
       WHERE p.id = ANY($1::uuid[])`,
      [[...entryIds]],
    );
    const now = clock.now();
    const byEntry = new Map(rows.map((row) => [row.entry_id, toCampaign(row, now)]));
    return entryIds.map((id) => byEntry.get(id) ?? null);
  });
}

/**
 * What each campaign's bonuses have cost its funder so far, in minor units of the settlement currency:
 * every bonus lot's points still standing (awarded less taken back by refunds) at the issue price it
 * was charged at (exactValueSql), rounded once (rules/clearing.ts roundLine, as a statement line). One statement per batch.
 */
export function createCampaignCostLoader(manager: EntityManager) {
  return new DataLoader<string, number>(async (campaignIds) => {
    const rows: { campaign_id: string; exact: string }[] = await manager.query(
      `SELECT b.campaign_id, sum(${exactValueSql("(b.points - b.reversed_points)", "l.issue_price_per_1000")})::text AS exact
       FROM campaign_bonuses b JOIN lots l ON l.transaction_id = b.transaction_id
       WHERE b.campaign_id = ANY($1::uuid[]) GROUP BY b.campaign_id`,
      [campaignIds],
    );
    const exact = new Map(rows.map((row) => [row.campaign_id, BigInt(row.exact)]));
    return campaignIds.map((id) => safeIntegerFromSql(roundLine(exact.get(id) ?? 0n).toString()));
  });
}
