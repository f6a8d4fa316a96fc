import DataLoader from "dataloader";
import type { DataSource, EntityManager } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { appError, badInput, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { safeIntegerFromSql } from "../limits";
import { partnerStub } from "../partner/partner.type";
import { MAX_PREPAID_TOP_UP, MAX_PRICE_PER_1000, STATEMENT_LINES, breakageRate, liabilityValue, prepaidTopUpRefusal, previousPeriod } from "../rules";
import { settlementCurrency } from "../settings";
import { CLEARING_LOCK_KEY } from "../sql";
import { outstandingSql } from "../sql/liability";
import { periodText } from "./clearing.totals";
import { PartnerLiability } from "./statement.types";
import { type AddPrepaidPointsInput, PartnerBilling, PartnerTerms, type SetPartnerTermsInput } from "./terms.types";

interface TermsRow {
  partner_id: string;
  version: number;
  effective_from: Date;
  issue_price_per_1000: string;
  redemption_price_per_1000: string;
  breakage_share_percent: number;
  billing: PartnerBilling;
}

interface LiabilityRow {
  partner_id: string | null;
  points: string;
  charged: string;
  expired_recently: string;
  redeemed_recently: string;
}

const linesOf = (figure: string) => [...new Set(STATEMENT_LINES.filter((r) => r.figure === figure).map((r) => r.line))];

/** Partner terms (effective-dated, append-only), prepaid allowances and the liability by issuer. */
export class TermsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly partners = new SubgraphClient("partners"),
    private readonly currency = settlementCurrency(), // read once, checked when the ledger starts (settings.ts)
  ) {}

  async setTerms(input: SetPartnerTermsInput, caller: AuditCaller): Promise<PartnerTerms> {
    const partnerId = requireId(input.partnerId, "partnerId");
    const notInThePast = (effectiveFrom: Date, now: Date) => {
      if (Number.isNaN(effectiveFrom.getTime()) || effectiveFrom.getTime() < now.getTime()) {
        throw badInput("effectiveFrom must not be in the past: terms apply to movements from now on, never to ones already valued", "effectiveFrom");
      }
    };
    if (input.effectiveFrom) notInThePast(input.effectiveFrom, this.clock.now());
    const issue = requireInt(input.issuePricePer1000, "issuePricePer1000", { min: 0, max: MAX_PRICE_PER_1000 });
    const redemption = requireInt(input.redemptionPricePer1000, "redemptionPricePer1000", { min: 0, max: MAX_PRICE_PER_1000 });
    const share = requireInt(input.breakageSharePercent, "breakageSharePercent", { min: 0, max: 100 });
    const billing = input.billing;
    if (!Object.values(PartnerBilling).includes(billing)) throw badInput("billing must be POSTPAID or PREPAID", "billing");
    const [partner] = await this.partners.entities<{ id: string }>("Partner", [partnerId], "id");
    if (!partner) throw notFound(`No partner with id ${partnerId}`);
    const row = await this.dataSource.transaction(async (tx) => {
      // The clearing lock alone (as closing a period takes it), then the clock. Every writer reads terms
      // under the same lock, shared (sql/clearing.ts CLEARING_PRICE_LOT): one posted before `now` is
      // valued at the old terms whenever it commits; one posted at or after `now` read its clock after
      // this lock was granted, so it waits for these terms to commit and is valued at them.
      await tx.query(`SELECT pg_advisory_xact_lock($1)`, [CLEARING_LOCK_KEY]);
      const now = this.clock.now();
      const effectiveFrom = input.effectiveFrom ?? now;
      notInThePast(effectiveFrom, now);
      // One writer of a partner's terms at a time (the clearing lock serialises them too): versions are numbered without gaps.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('partner_terms:' || $1))`, [partnerId]);
      const [latest] = await tx.query(`SELECT version, effective_from FROM partner_terms WHERE partner_id = $1 ORDER BY version DESC LIMIT 1`, [partnerId]);
      if (latest && latest.effective_from.getTime() >= effectiveFrom.getTime()) {
        throw badInput(`effectiveFrom must be after the latest terms' (${latest.effective_from.toISOString()})`, "effectiveFrom");
      }
      const [inserted]: TermsRow[] = await tx.query(
        `INSERT INTO partner_terms (partner_id, version, effective_from, issue_price_per_1000, redemption_price_per_1000, breakage_share_percent, billing)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [partnerId, (latest?.version ?? 0) + 1, effectiveFrom, issue, redemption, share, billing],
      );
      await auditWrite(tx, caller, { action: "SET_PARTNER_TERMS", partnerId, targetId: `version:${inserted.version}` });
      return inserted;
    });
    return this.toTerms(row);
  }

  // A partner list's fields (`partners { terms termsHistory prepaidPointsRemaining }`) in one statement each: the
  // service is made per request (context.ts); batched only, never cached, so a mutation's later read sees its write.
  private readonly currentLoader = new DataLoader<string, TermsRow | null>(
    async (partnerIds) => {
      const rows: TermsRow[] = await this.dataSource.query(
        `SELECT DISTINCT ON (partner_id) * FROM partner_terms WHERE partner_id = ANY($1::uuid[]) AND effective_from <= $2 ORDER BY partner_id, effective_from DESC`,
        [partnerIds, this.clock.now()],
      );
      const byPartner = new Map(rows.map((row) => [row.partner_id, row]));
      return partnerIds.map((id) => byPartner.get(id) ?? null);
    },
    { cache: false },
  );
  private readonly historyLoader = new DataLoader<string, TermsRow[]>(
    async (partnerIds) => {
      const rows: TermsRow[] = await this.dataSource.query(`SELECT * FROM partner_terms WHERE partner_id = ANY($1::uuid[]) ORDER BY partner_id, version`, [partnerIds]);
      return partnerIds.map((id) => rows.filter((row) => row.partner_id === id));
    },
    { cache: false },
  );
  private readonly prepaidLoader = new DataLoader<string, string | number>(
    async (partnerIds) => {
      const rows: { partner_id: string; remaining: string }[] = await this.dataSource.query(`SELECT partner_id, remaining FROM prepaid_allowances WHERE partner_id = ANY($1::uuid[])`, [partnerIds]);
      const byPartner = new Map(rows.map((row) => [row.partner_id, row.remaining]));
      return partnerIds.map((id) => byPartner.get(id) ?? 0);
    },
    { cache: false },
  );

  /** The terms in force now (null: none yet, so zero prices and POSTPAID). */
  async current(partnerId: string): Promise<PartnerTerms | null> {
    const row = await this.currentLoader.load(partnerId.toLowerCase());
    return row ? this.toTerms(row) : null;
  }

  async history(partnerId: string): Promise<PartnerTerms[]> {
    return (await this.historyLoader.load(partnerId.toLowerCase())).map((row) => this.toTerms(row));
  }

  async addPrepaidPoints(input: AddPrepaidPointsInput, caller: AuditCaller) {
    const partnerId = requireId(input.partnerId, "partnerId");
    const points = requireInt(input.points, "points", { min: 1, max: MAX_PREPAID_TOP_UP });
    const reference = requireText(input.reference, "reference", { max: 100 });
    await this.dataSource.transaction(async (tx) => {
      // The terms in force now, read as every writer reads them: under the clearing lock, shared, then the
      // clock (setTerms takes it alone before its clock). The latest version may start later: it does not count yet.
      await tx.query(`SELECT pg_advisory_xact_lock_shared($1)`, [CLEARING_LOCK_KEY]);
      const now = this.clock.now();
      // A top-up recorded already is a replay whatever the terms say now: the same answer (or a conflict), never a refusal.
      if (await this.replayedTopUp(tx, partnerId, reference, points)) return;
      const [terms]: { billing: string | null; prepaid_from: Date | null }[] = await tx.query(
        `SELECT (SELECT billing FROM partner_terms WHERE partner_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC LIMIT 1) AS billing,
                (SELECT min(effective_from) FROM partner_terms WHERE partner_id = $1 AND effective_from > $2 AND billing = 'PREPAID') AS prepaid_from`,
        [partnerId, now],
      );
      const refusal = prepaidTopUpRefusal(terms.billing, terms.prepaid_from);
      if (refusal) throw badInput(refusal, "partnerId");
      const [inserted] = await tx.query(
        `INSERT INTO prepaid_top_ups (partner_id, reference, points, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING points`,
        [partnerId, reference, points, now],
      );
      if (!inserted) {
        // A concurrent copy waited on the key and sees the first one's row.
        await this.replayedTopUp(tx, partnerId, reference, points);
        return;
      }
      await tx.query(
        `INSERT INTO prepaid_allowances AS pa (partner_id, remaining) VALUES ($1, $2) ON CONFLICT (partner_id) DO UPDATE SET remaining = pa.remaining + EXCLUDED.remaining`,
        [partnerId, points],
      );
      // A replayed reference (returned above) changed nothing and adds no line.
      await auditWrite(tx, caller, { action: "ADD_PREPAID_POINTS", partnerId, targetId: reference });
    });
    return partnerStub(partnerId);
  }

  /** Whether the top-up `reference` is recorded already (a replay); IDEMPOTENCY_CONFLICT when it was recorded with other points. */
  private async replayedTopUp(tx: EntityManager, partnerId: string, reference: string, points: number): Promise<boolean> {
    const [existing] = await tx.query(`SELECT points FROM prepaid_top_ups WHERE partner_id = $1 AND reference = $2`, [partnerId, reference]);
    if (!existing) return false;
    if (Number(existing.points) !== points) {
      throw appError("IDEMPOTENCY_CONFLICT", `Top-up "${reference}" was already recorded with ${existing.points} points; use a new reference for a new top-up`, { field: "reference" });
    }
    return true;
  }

  async prepaidRemaining(partnerId: string): Promise<number> {
    return safeIntegerFromSql(await this.prepaidLoader.load(partnerId.toLowerCase()));
  }

  /**
   * Points outstanding by issuer: what members hold of its points, its open lots' remaining (not past
   * their expiry: rules `outstandingPoints`, sql/liability.ts, as Partner.settlement counts them), at the
   * price each lot was charged (read from the lots when asked: a running total per issuer would be one
   * more row every purchase, redemption and transfer locks to its commit); the breakage rate of the 12
   * periods before the current one, from the running totals. `partnerId` null: the coalition's total
   * (every issuer, the coalition's own points included).
   */
  async liability(partnerId: string | null): Promise<PartnerLiability> {
    const row = partnerId === null ? (await this.liabilityRows(null))[0] : await this.liabilityLoader.load(partnerId.toLowerCase());
    return Object.assign(new PartnerLiability(), {
      partner: partnerId ? partnerStub(partnerId) : null,
      pointsOutstanding: safeIntegerFromSql(row.points),
      value: liabilityValue(BigInt(row.charged)),
      expectedBreakageRate: breakageRate(BigInt(row.expired_recently), BigInt(row.redeemed_recently)),
      currency: this.currency,
    });
  }

  // A partner list's liabilities in one statement, batched only (as the loaders above).
  private readonly liabilityLoader = new DataLoader<string, LiabilityRow>(
    async (partnerIds) => {
      const byPartner = new Map((await this.liabilityRows([...new Set(partnerIds)])).map((row) => [row.partner_id, row]));
      return partnerIds.map((id) => byPartner.get(id)!);
    },
    { cache: false },
  );

  /** A row for each partner (`partnerIds`), or one for the coalition's total (null: every issuer). */
  private async liabilityRows(partnerIds: string[] | null): Promise<LiabilityRow[]> {
    const now = this.clock.now();
    const current = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    let from = current;
    for (let i = 0; i < 12; i++) from = previousPeriod(from);
    const mine = (column: string) => (partnerIds ? `${column} = p.id` : "true");
    return this.dataSource.query(
      `SELECT p.id AS partner_id, o.points::text AS points, o.charged::text AS charged, t.expired_recently::text, m.redeemed_recently::text
       FROM ${partnerIds ? "unnest($1::uuid[]) AS p(id)" : "(SELECT $1::uuid AS id) p"},
       LATERAL (${outstandingSql(mine("l.partner_id"), "$5")}) o,
       LATERAL (SELECT coalesce(sum(points) FILTER (WHERE line = ANY($2) AND period >= $3::date AND period < $4::date), 0) AS expired_recently
                FROM clearing_totals WHERE ${mine("partner_id")}) t,
       LATERAL (SELECT coalesce(sum(points) FILTER (WHERE period >= $3::date AND period < $4::date), 0) AS redeemed_recently
                FROM clearing_matrix WHERE ${mine("issuer_id")}) m`,
      [partnerIds, linesOf("expired"), `${periodText(from)}-01`, `${periodText(current)}-01`, now],
    );
  }

  private toTerms(row: TermsRow): PartnerTerms {
    return Object.assign(new PartnerTerms(), {
      partnerId: row.partner_id,
      version: row.version,
      effectiveFrom: row.effective_from,
      issuePricePer1000: Number(row.issue_price_per_1000),
      redemptionPricePer1000: Number(row.redemption_price_per_1000),
      breakageSharePercent: row.breakage_share_percent,
      billing: row.billing,
      currency: this.currency,
    });
  }
}
