import DataLoader from "dataloader";
import type { DataSource, EntityManager } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { badInput } from "../../../../shared/src/errors";
import type { Clock } from "../clock";
import { COALITION_OWNER_ID } from "../journal/journal";
import { partnerStub } from "../partner/partner.type";
import {
  GENESIS_HASH,
  type StatementLineKind,
  type StatementRecord,
  canonicalJson,
  periodHasEnded,
  reportTotals,
  statementRecord,
  statementText,
} from "../rules";
import { settlementCurrency } from "../settings";
import { CLEARING_LOCK_KEY } from "../sql";
import { chainHash } from "./hash-chain";
import { floatThrough, partnerCells, liveRecords, periodText, requirePeriod } from "./clearing.totals";
import { ClearingReport, SettlementLine, SettlementLineKind, SettlementStatement, SettlementStatus } from "./statement.types";

/** What a closed period stores besides its statements (settlement_periods.content; the report's hash covers it). */
export interface ClosedReportContent {
  period: string;
  currency: string;
  closedAt: string;
  statements: { partnerId: string; number: number; hash: string }[];
  moneyIn: number;
  moneyOut: number;
  margin: number;
  float: number;
  coalitionPointsIssued: number;
}

interface PartnerPeriodRow {
  partner_id: string;
  closed: boolean;
  number: string | null;
  content: string | null;
  hash: string | null;
  lines: { line: StatementLineKind; points: string; value: string }[] | null;
  cells: { issuer: string; redeemer: string; points: string }[] | null;
}

/**
 * Partners' periods (period $1, the partners $2, in one statement however many): closed or not, each
 * one's stored statement, its running lines and matrix cells (exact figures as text).
 */
const PARTNER_PERIODS_SQL = `
  SELECT p.id AS partner_id, EXISTS (SELECT FROM settlement_periods WHERE period = $1::date) AS closed, s.number::text, s.content, s.hash,
         (SELECT json_agg(json_build_object('line', line, 'points', points::text, 'value', value::text) ORDER BY line)
          FROM clearing_totals WHERE period = $1::date AND partner_id = p.id) AS lines,
         (SELECT json_agg(json_build_object('issuer', issuer_id, 'redeemer', redeemer_id, 'points', points::text))
          FROM clearing_matrix WHERE ${partnerCells("p.id")}) AS cells
  FROM unnest($2::uuid[]) AS p(id) LEFT JOIN settlement_statements s ON s.partner_id = p.id AND s.period = $1::date`;

interface StoredStatement {
  number: string;
  content: string;
  hash: string;
}

/**
 * Statements and clearing reports: live ones from the running totals, closed ones as stored; and
 * closing a period (README, "The clearing house").
 */
export class ClearingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly currency = settlementCurrency(), // read once, checked when the ledger starts (settings.ts)
  ) {}

  // A partner list's statements (`partners { statement(period) }`) in one statement per period asked: the
  // service is made per request (context.ts); batched only, never cached, so a close's later read sees it.
  private readonly periodLoader = new DataLoader<{ partnerId: string; period: string }, PartnerPeriodRow>(
    async (keys) => {
      const rows = new Map<string, PartnerPeriodRow>();
      for (const period of new Set(keys.map((key) => key.period))) {
        const partnerIds = [...new Set(keys.filter((key) => key.period === period).map((key) => key.partnerId))];
        const found: PartnerPeriodRow[] = await this.dataSource.query(PARTNER_PERIODS_SQL, [`${period}-01`, partnerIds, COALITION_OWNER_ID]);
        for (const row of found) rows.set(`${period}/${row.partner_id}`, row);
      }
      return keys.map((key) => rows.get(`${key.period}/${key.partnerId}`)!);
    },
    { cache: false },
  );

  /** Whether the period is closed, the stored statement if so, else its live lines and matrix cells (batched per period). */
  async statement(partnerId: string, period: string): Promise<SettlementStatement> {
    const start = requirePeriod(period);
    const row = await this.periodLoader.load({ partnerId: partnerId.toLowerCase(), period: periodText(start) });
    if (row.closed) {
      if (row.number) return toStatement(JSON.parse(row.content!), SettlementStatus.CLOSED, Number(row.number), row.hash);
      // Closed without a statement for it: it had neither movements nor terms then.
      return toStatement(statementRecord(periodText(start), partnerId, this.currency, [], []), SettlementStatus.CLOSED, null, null);
    }
    const lines = (row.lines ?? []).map((l) => ({ line: l.line, points: BigInt(l.points), value: BigInt(l.value) }));
    const cells = (row.cells ?? []).map((c) => ({ issuerId: c.issuer, redeemerId: c.redeemer, points: BigInt(c.points) }));
    return toStatement(statementRecord(periodText(start), partnerId, this.currency, lines, cells), SettlementStatus.OPEN, null, null);
  }

  async report(period: string): Promise<ClearingReport> {
    const start = requirePeriod(period);
    const manager = this.dataSource.manager;
    const stored = await this.storedReport(manager, start);
    if (stored) return stored;
    const { records, coalitionPoints } = await liveRecords(manager, start, this.currency);
    return Object.assign(new ClearingReport(), {
      period: periodText(start),
      status: SettlementStatus.OPEN,
      currency: this.currency,
      closedAt: null,
      hash: null,
      statements: records.map((r) => toStatement(r, SettlementStatus.OPEN, null, null)),
      ...reportTotals(records, coalitionPoints),
      float: await floatThrough(manager, start),
    });
  }

  /**
   * Freezes a period: under the clearing lock taken alone (writers of the running totals hold it
   * shared until they commit, so none is half-way), stores every partner's statement with its number
   * and chained hash, and the report: from then on a movement for the closed month fails retryably
   * (55P03) and, retried, is posted later, in the open month. Closing a closed period returns what
   * was stored. Periods close in order: never one before the latest closed, and never past a month
   * with movements still open since then (skipped, its money would never get a closed statement).
   * The first close may start anywhere: months before it are the history the clearing house began
   * with, reported live by `clearing(period)`.
   */
  async close(period: string, caller: AuditCaller): Promise<ClearingReport> {
    const start = requirePeriod(period);
    const now = this.clock.now();
    if (!periodHasEnded(start, now)) throw badInput(`${periodText(start)} has not ended yet: a period can be closed once its month is over (UTC)`, "period");
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1)`, [CLEARING_LOCK_KEY]);
      const stored = await this.storedReport(tx, start);
      if (stored) return stored;
      const [latest] = await tx.query(`SELECT to_char(max(period), 'YYYY-MM') AS period FROM settlement_periods`);
      if (latest.period && latest.period > periodText(start)) {
        throw badInput(`Periods close in order: ${latest.period} is already closed, so ${periodText(start)} can no longer be`, "period");
      }
      const [skipped] = await tx.query(
        `SELECT to_char(min(m.period), 'YYYY-MM') AS period FROM (SELECT period FROM clearing_totals UNION SELECT period FROM clearing_matrix) m
         WHERE m.period > (SELECT max(period) FROM settlement_periods) AND m.period < $1::date`,
        [`${periodText(start)}-01`],
      );
      if (skipped.period) throw badInput(`Periods close in order: ${skipped.period} has movements and is still open, so it closes first`, "period");
      const { records, coalitionPoints } = await liveRecords(tx, start, this.currency);
      const statements: ClosedReportContent["statements"] = [];
      for (const record of records) {
        const [previous] = await tx.query(`SELECT hash FROM settlement_statements WHERE partner_id = $1 ORDER BY period DESC LIMIT 1`, [record.partnerId]);
        const text = statementText(record);
        const hash = chainHash(previous?.hash ?? GENESIS_HASH, text);
        const [row] = await tx.query(
          `INSERT INTO settlement_statements (period, partner_id, content, previous_hash, hash) VALUES ($1::date, $2, $3, $4, $5) RETURNING number::text`,
          [`${periodText(start)}-01`, record.partnerId, text, previous?.hash ?? GENESIS_HASH, hash],
        );
        statements.push({ partnerId: record.partnerId, number: Number(row.number), hash });
      }
      const content: ClosedReportContent = {
        period: periodText(start),
        currency: this.currency,
        closedAt: now.toISOString(),
        statements,
        ...reportTotals(records, coalitionPoints),
        float: await floatThrough(tx, start),
      };
      const [previous] = await tx.query(`SELECT hash FROM settlement_periods ORDER BY period DESC LIMIT 1`);
      const text = canonicalJson(content);
      await tx.query(`INSERT INTO settlement_periods (period, closed_at, content, previous_hash, hash) VALUES ($1::date, $2, $3, $4, $5)`, [
        `${periodText(start)}-01`, now, text, previous?.hash ?? GENESIS_HASH, chainHash(previous?.hash ?? GENESIS_HASH, text),
      ]);
      // Closing a closed period returned its stored report above: a replay, no line.
      await auditWrite(tx, caller, { action: "CLOSE_SETTLEMENT_PERIOD", targetId: periodText(start) });
      return (await this.storedReport(tx, start))!;
    });
  }

  private async storedReport(manager: EntityManager, start: Date): Promise<ClearingReport | null> {
    const [period] = await manager.query(`SELECT content, hash, closed_at FROM settlement_periods WHERE period = $1::date`, [`${periodText(start)}-01`]);
    if (!period) return null;
    const content = JSON.parse(period.content) as ClosedReportContent;
    const rows: (StoredStatement & { partner_id: string })[] = await manager.query(
      `SELECT partner_id, number::text, content, hash FROM settlement_statements WHERE period = $1::date ORDER BY partner_id`,
      [`${periodText(start)}-01`],
    );
    return Object.assign(new ClearingReport(), {
      period: content.period,
      status: SettlementStatus.CLOSED,
      currency: content.currency,
      closedAt: period.closed_at,
      hash: period.hash,
      statements: rows.map((r) => toStatement(JSON.parse(r.content), SettlementStatus.CLOSED, Number(r.number), r.hash)),
      moneyIn: content.moneyIn,
      moneyOut: content.moneyOut,
      margin: content.margin,
      float: content.float,
      coalitionPointsIssued: content.coalitionPointsIssued,
    });
  }
}

/** The GraphQL statement of a record (live, or as stored). */
export function toStatement(record: StatementRecord, status: SettlementStatus, number: number | null, hash: string | null): SettlementStatement {
  return Object.assign(new SettlementStatement(), {
    partner: partnerStub(record.partnerId),
    period: record.period,
    status,
    currency: record.currency,
    number,
    hash,
    pointsIssued: record.pointsIssued,
    pointsReversed: record.pointsReversed,
    pointsRedeemed: record.pointsRedeemed,
    pointsExpired: record.pointsExpired,
    issuedAmount: record.issuedAmount,
    reversedAmount: record.reversedAmount,
    redeemedAmount: record.redeemedAmount,
    expiredAmount: record.expiredAmount,
    netAmount: record.netAmount,
    lines: record.lines.map((l) => Object.assign(new SettlementLine(), { kind: l.line as SettlementLineKind, points: l.points, amount: l.amount })),
    counterparts: record.counterparts.map((c) => ({
      partner: partnerStub(c.partnerId),
      pointsIssuedRedeemedThere: c.pointsIssuedRedeemedThere,
      pointsRedeemedHereIssuedThere: c.pointsRedeemedHereIssuedThere,
    })),
  });
}
