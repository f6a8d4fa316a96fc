import type { EntityManager } from "typeorm";
import { COALITION_OWNER_ID } from "../journal/journal";
import {
  type LineTotal,
  type MatrixCell,
  type StatementLineKind,
  type StatementRecord,
  lineRule,
  parsePeriod,
  periodEnd,
  safe,
  statementFigures,
  statementRecord,
} from "../rules";
import { badInput } from "../../../../shared/src/errors";

/**
 * Reads of the running totals the valuation trigger keeps (sql/clearing.ts): a period's lines and
 * matrix, never the history. Every read here is a few index lookups, however long the ledger.
 */

/** The first day of a `YYYY-MM` period; anything else is BAD_USER_INPUT naming the field. */
export function requirePeriod(text: string, field = "period"): Date {
  const start = parsePeriod(text);
  if (!start) throw badInput(`${field} must be a month written YYYY-MM (e.g. 2026-11), got "${text.slice(0, 20)}"`, field);
  return start;
}

export const periodText = (start: Date) => start.toISOString().slice(0, 7);

/**
 * Matrix cells between partners, of period $1 (touching partner `partner` when it is not null): the
 * coalition's own points ($3, COALITION_OWNER_ID) are no partner's counterpart. Shared by every statement read.
 */
export const partnerCells = (partner: string) =>
  `period = $1::date AND (${partner} IS NULL OR issuer_id = ${partner} OR redeemer_id = ${partner}) AND issuer_id <> $3 AND redeemer_id <> $3`;

/** Line totals of a period by partner (all partners, or the ones given). */
export async function lineTotals(manager: EntityManager, period: Date, partnerIds: string[] | null = null): Promise<Map<string, LineTotal[]>> {
  const rows: { partner_id: string; line: StatementLineKind; points: string; value: string }[] = await manager.query(
    `SELECT partner_id, line, points::text, value::text FROM clearing_totals
     WHERE period = $1::date AND ($2::uuid[] IS NULL OR partner_id = ANY($2::uuid[])) ORDER BY partner_id, line`,
    [periodText(period) + "-01", partnerIds],
  );
  const byPartner = new Map<string, LineTotal[]>();
  for (const row of rows) {
    const list = byPartner.get(row.partner_id) ?? [];
    list.push({ line: row.line, points: BigInt(row.points), value: BigInt(row.value) });
    byPartner.set(row.partner_id, list);
  }
  return byPartner;
}

/**
 * The issuer × redeemer cells of a period between partners (only those touching one partner, when
 * given). The coalition's own points (COALITION_OWNER_ID) are no partner's counterpart: left out.
 */
export async function matrixCells(manager: EntityManager, period: Date, partnerId: string | null = null): Promise<MatrixCell[]> {
  const rows: { issuer_id: string; redeemer_id: string; points: string }[] = await manager.query(
    `SELECT issuer_id, redeemer_id, points::text FROM clearing_matrix WHERE ${partnerCells("$2::uuid")}`,
    [periodText(period) + "-01", partnerId, COALITION_OWNER_ID],
  );
  return rows.map((r) => ({ issuerId: r.issuer_id, redeemerId: r.redeemer_id, points: BigInt(r.points) }));
}

/** Partners with terms in force at some point before the period's end (they get a statement even without movements). */
export async function partnersWithTerms(manager: EntityManager, period: Date): Promise<string[]> {
  const rows: { partner_id: string }[] = await manager.query(
    `SELECT DISTINCT partner_id FROM partner_terms WHERE effective_from < $1 ORDER BY partner_id`,
    [periodEnd(period)],
  );
  return rows.map((r) => r.partner_id);
}

/** Every partner's live statement record of a period (partners with movements or terms), by partner id; and the coalition's own points. */
export async function liveRecords(manager: EntityManager, period: Date, currency: string): Promise<{ records: StatementRecord[]; coalitionPoints: bigint }> {
  const totals = await lineTotals(manager, period);
  const matrix = await matrixCells(manager, period);
  const partners = new Set<string>([...totals.keys(), ...(await partnersWithTerms(manager, period))]);
  for (const cell of matrix) partners.add(cell.issuerId).add(cell.redeemerId);
  partners.delete(COALITION_OWNER_ID); // the coalition has no statement: its points are in the report's coalitionPointsIssued
  const records = [...partners].sort().map((id) => statementRecord(periodText(period), id, currency, totals.get(id) ?? [], matrix));
  // Only the coalition's issued lines (its bonuses and adjustments, net of their reversals): its points
  // that expire or an erasure forfeits land in a BREAKAGE line of the nil owner, and are not issued again.
  const coalitionPoints = (totals.get(COALITION_OWNER_ID) ?? []).filter((t) => lineRule(t.line).figure === "issued").reduce((sum, t) => sum + t.points, 0n);
  return { records, coalitionPoints };
}

/** The float through a period: every partner's net (lines rounded per period and partner), summed over every period up to it. */
export async function floatThrough(manager: EntityManager, period: Date): Promise<number> {
  const rows: { period: string; partner_id: string; line: StatementLineKind; points: string; value: string }[] = await manager.query(
    `SELECT period::text, partner_id, line, points::text, value::text FROM clearing_totals WHERE period <= $1::date AND partner_id <> $2`,
    [periodText(period) + "-01", COALITION_OWNER_ID],
  );
  const groups = new Map<string, LineTotal[]>();
  for (const r of rows) {
    const key = `${r.period}/${r.partner_id}`;
    groups.set(key, [...(groups.get(key) ?? []), { line: r.line, points: BigInt(r.points), value: BigInt(r.value) }]);
  }
  // Summed exactly: a running sum of numbers rounds silently once it passes 2^53 − 1, even if the total comes back under it.
  let float = 0n;
  for (const lines of groups.values()) float += BigInt(statementFigures(lines).netAmount);
  return safe(float, "float");
}
