import type { EntityManager } from "typeorm";
import { memberSeenPartnerSql } from "../sql/lot-issuer";
import { byIdLoader } from "../../../../shared/src/loaders";
import { memberStub } from "../member/member.type";
import { partnerStub } from "../partner/partner.type";
import { LedgerEntry } from "./ledger-entry.type";

/** A member posting read with its transaction: what a LedgerEntry is made from. */
export interface EntryRow {
  id: string;
  member_id: string;
  partner_id: string | null;
  entry_kind: LedgerEntry["kind"];
  amount: string;
  reference: string | null;
  occurred_at: Date;
}

/** A member's entries are the postings to their account, read with their transaction. */
export async function findEntries(manager: EntityManager, ids: string[]): Promise<LedgerEntry[]> {
  const rows: EntryRow[] = await manager.query(
    `SELECT p.id, p.member_id, ${memberSeenPartnerSql("t", "p.member_id")} AS partner_id, p.entry_kind, p.amount, t.reference, p.occurred_at
     FROM postings p JOIN transactions t ON t.id = p.transaction_id
     WHERE p.id = ANY($1::uuid[]) AND p.member_id IS NOT NULL`,
    [ids],
  );
  return rows.map(toLedgerEntry);
}

/** One entry from its row (the columns `findEntries` selects): points are the posting's signed amount. */
export function toLedgerEntry(row: EntryRow): LedgerEntry {
  return Object.assign(new LedgerEntry(), {
    id: row.id,
    member: memberStub(row.member_id),
    partner: row.partner_id ? partnerStub(row.partner_id) : null,
    kind: row.entry_kind,
    points: Number(row.amount),
    reference: row.reference,
    occurredAt: row.occurred_at,
  });
}

/** A member's entry in a transaction (their posting), e.g. what a mutation returns. */
export async function findMemberEntryOf(manager: EntityManager, transactionId: string, memberId: string): Promise<LedgerEntry> {
  const [row] = await manager.query(`SELECT id FROM postings WHERE transaction_id = $1 AND member_id = $2`, [transactionId, memberId]);
  const [entry] = await findEntries(manager, [row.id]);
  return entry;
}

export const createLedgerEntryLoader = (manager: EntityManager) => byIdLoader((ids) => findEntries(manager, ids));
