import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import { partnerStub } from "../partner/partner.type";
import { Adjustment, type AdjustmentReason } from "./adjustment.types";

/** An entry's adjustment (reason, note, who, funder), by entry id: one query per request batch; null for other entries. */
export const createAdjustmentLoader = (manager: EntityManager) =>
  new DataLoader<string, (Adjustment & { madeBy: string }) | null>(async (entryIds) => {
    const rows: { entry_id: string; reason: AdjustmentReason; note: string; made_by: string; funded_by_partner_id: string | null }[] = await manager.query(
      `SELECT p.id AS entry_id, a.reason, a.note, a.made_by, a.funded_by_partner_id
       FROM postings p JOIN adjustments a ON a.transaction_id = p.transaction_id
       WHERE p.id = ANY($1::uuid[]) AND p.member_id IS NOT NULL`,
      [[...entryIds]],
    );
    const byEntry = new Map(
      rows.map((row) => [
        row.entry_id,
        Object.assign(new Adjustment(), { reason: row.reason, note: row.note, madeBy: row.made_by, fundedBy: row.funded_by_partner_id ? partnerStub(row.funded_by_partner_id) : null }),
      ]),
    );
    return entryIds.map((id) => byEntry.get(id) ?? null);
  });
