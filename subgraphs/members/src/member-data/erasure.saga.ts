import type { DataSource } from "typeorm";
import { eraseLateRequestIds, eraseRequestIdsSql } from "../../../../shared/src/audit/audit-table";
import { type AuditLine, recordAudit } from "../../../../shared/src/audit/record-audit";
import { erasureCheckCacheMs } from "../../../../shared/src/config";
import { notFound } from "../../../../shared/src/errors";
import type { Logger } from "../../../../shared/src/logger";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";

/** What an erased member's partner account id becomes in other members' link history (step 1). */
export const ERASED_ACCOUNT_ID = "(erased)";

/** Test-only fault injection: `MEMBERS_CRASH_AT=after-personal-data` kills this process once the member's data is gone, before the ledger is asked. */
function crashPoint(step: "after-personal-data") {
  if (process.env.MEMBERS_CRASH_AT === step && process.env.NODE_ENV !== "production") process.kill(process.pid, "SIGKILL");
}

/**
 * Article 17 erasure, a saga across two services, each step idempotent:
 * 1. here, in one transaction: record the erasure (`member_erasures`, which holds no personal data),
 *    end every partner link, delete their history and the member row (email, name, account ids), and
 *    blank those account ids in other members' link history (ERASED_ACCOUNT_ID). From
 *    its commit the member's tokens are refused (the gateway asks `memberErased`) and the email is free.
 * 2. the ledger forfeits the remaining points (an ADJUSTMENT, reason ERASURE) and refuses new points
 *    for the id; keyed by member id, so asking twice forfeits once. It replaces the text callers chose on
 *    the member's transactions and audit lines by its digest (shared/src/member-data/erased-text.ts), as
 *    step 1 does for this service's audit lines; then the catalog does for the member's redemptions and
 *    audit lines (`eraseMemberText`, which changes nothing the second time).
 * 3. here: the erasure is marked complete.
 * A crash or an unreachable ledger after step 1 leaves `completed_at` null; the sweep (at start and
 * every ERASURE_SWEEP_SECONDS) runs steps 2 and 3 again until they succeed. The partners service
 * holds nothing of members but audit lines of partner writes, none of which is about a member, so it takes no part.
 */
export class ErasureSaga {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger = new SubgraphClient("ledger"),
    private readonly catalog = new SubgraphClient("catalog"),
  ) {}

  /** Erases the member (or finishes an erasure begun before). NOT_FOUND when there never was such a member. */
  async erase(memberId: string, audit: AuditLine): Promise<void> {
    if (!(await this.removePersonalData(memberId, audit))) throw notFound(`No member with id ${memberId}`);
    const begun = Date.now();
    try {
      crashPoint("after-personal-data");
      await this.finish(memberId);
    } finally {
      // A gateway may remember "not erased" for ERASURE_CHECK_CACHE_MS: once this answers, success or
      // not (the personal data is gone either way), every gateway refuses the member's tokens.
      const wait = erasureCheckCacheMs() - (Date.now() - begun);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** True once the member's erasure has begun (their tokens are refused from then on). */
  async isErased(memberId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM member_erasures WHERE member_id = $1`, [memberId]);
    return Boolean(row);
  }

  /** Step 1, with its audit line. False when there is neither a member nor an erasure with this id. */
  private removePersonalData(memberId: string, audit: AuditLine): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // The member row's lock queues concurrent erasures (and links, whose foreign key waits on it).
      const [member] = await manager.query(`SELECT id FROM members WHERE id = $1 FOR UPDATE`, [memberId]);
      if (!member) {
        const [erased] = await manager.query(`SELECT 1 FROM member_erasures WHERE member_id = $1`, [memberId]);
        return Boolean(erased);
      }
      await manager.query(`INSERT INTO member_erasures (member_id) VALUES ($1) ON CONFLICT DO NOTHING`, [memberId]);
      // The member's account ids in other members' link history (a card number another member typed, ended when the
      // partner linked it to this member) are blanked: the others keep their events, not this person's card numbers.
      await manager.query(
        `UPDATE partner_account_history h SET external_id = $2
         FROM (SELECT partner_id, external_id FROM partner_accounts WHERE member_id = $1
               UNION SELECT partner_id, external_id FROM partner_account_history WHERE member_id = $1) erased
         WHERE h.partner_id = erased.partner_id AND h.external_id = erased.external_id AND h.member_id <> $1`,
        [memberId, ERASED_ACCOUNT_ID],
      );
      // Deleting a link records that it ended (the history trigger); the history goes right after, account ids with it.
      await manager.query(`DELETE FROM partner_accounts WHERE member_id = $1`, [memberId]);
      await manager.query(`DELETE FROM partner_account_history WHERE member_id = $1`, [memberId]);
      await manager.query(`DELETE FROM members WHERE id = $1`, [memberId]);
      await recordAudit(manager, audit);
      // The request ids of the member's audit lines (text the callers chose), this erasure's own included, become their
      // digests (shared/src/member-data/erased-text.ts): the one change the audit trail admits, for an erased id only.
      await manager.query(eraseRequestIdsSql(`$1::uuid`), [memberId]);
      return true;
    });
  }

  /** Steps 2 and 3, after step 1's lines written by transactions still open when it committed (eraseLateRequestIds). */
  private async finish(memberId: string): Promise<void> {
    await eraseLateRequestIds(this.dataSource, memberId);
    await this.ledger.request(`mutation($memberId: ID!) { forfeitErasedMember(memberId: $memberId) }`, { memberId });
    await this.catalog.request(`mutation($memberId: ID!) { eraseMemberText(memberId: $memberId) }`, { memberId });
    // An erasure finished before the catalog took part keeps the time it was completed (ErasuresCatalogStep1734960000003).
    await this.dataSource.query(
      `UPDATE member_erasures SET completed_at = coalesce(completed_at, now()), catalog_step_at = now()
       WHERE member_id = $1 AND (completed_at IS NULL OR catalog_step_at IS NULL)`,
      [memberId],
    );
  }

  /** The sweep: finishes every erasure a crash or an unreachable ledger or catalog left open, and gives the catalog's step to those finished before it took part. */
  async finishOpen(log: Logger, limit = 100): Promise<number> {
    const open: { member_id: string }[] = await this.dataSource.query(
      `SELECT member_id FROM member_erasures WHERE completed_at IS NULL OR catalog_step_at IS NULL ORDER BY requested_at LIMIT $1`,
      [limit],
    );
    let finished = 0;
    for (const { member_id: memberId } of open) {
      try {
        await this.finish(memberId);
        finished++;
      } catch (error) {
        log.warn("erasure sweep: not finished yet", { memberId, error: (error as Error).message });
      }
    }
    if (finished) log.info("erasure sweep finished erasures", { finished });
    return finished;
  }
}
