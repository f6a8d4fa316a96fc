import type { DataSource, EntityManager } from "typeorm";
import { In, Repository } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { conflict, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireText } from "../../../../shared/src/validation";
import { MemberRecord } from "../member/member.entity";
import { PartnerAccountRecord } from "./partner-account.entity";
import { ACCOUNT_ID_TRIES, accountIdTaken, isAccountIdViolation, replaceUnconfirmedClaims } from "./account-id-key";
import { PartnerAccountStatus } from "./partner-account-status";
import type { LinkPartnerAccountInput } from "./link-partner-account.input";

const COLUMNS = `member_id, partner_id, external_id, linked_at, status, confirmed`;
type Row = { member_id: string; partner_id: string; external_id: string; linked_at: Date; status: PartnerAccountStatus; confirmed: boolean };
const toRecord = (row: Row): PartnerAccountRecord =>
  Object.assign(new PartnerAccountRecord(), {
    memberId: row.member_id,
    partnerId: row.partner_id,
    externalId: row.external_id,
    linkedAt: row.linked_at,
    status: row.status,
    confirmed: row.confirmed,
  });

/** How a link is made: PENDING from a partner's app, ACTIVE from the member or an admin; confirmed unless the member typed the account id. */
export type LinkMade = { status: PartnerAccountStatus; confirmed: boolean };


export class PartnerAccountService {
  private readonly accounts: Repository<PartnerAccountRecord>;
  private readonly members: Repository<MemberRecord>;

  constructor(private readonly dataSource: DataSource, private readonly partners = new SubgraphClient("partners")) {
    this.accounts = dataSource.getRepository(PartnerAccountRecord);
    this.members = dataSource.getRepository(MemberRecord);
  }

  /** For each partner, in the order given, the members with an ACTIVE link to it (partner insights' population): one statement. */
  async activeMemberIdsOf(partnerIds: string[]): Promise<string[][]> {
    const rows: { partner_id: string; member_id: string }[] = await this.dataSource.query(
      `SELECT partner_id, member_id FROM partner_accounts WHERE partner_id = ANY($1::uuid[]) AND status = 'ACTIVE'`,
      [partnerIds],
    );
    const byPartner = new Map<string, string[]>();
    for (const row of rows) {
      const members = byPartner.get(row.partner_id);
      if (members) members.push(row.member_id);
      else byPartner.set(row.partner_id, [row.member_id]);
    }
    return partnerIds.map((id) => byPartner.get(id.toLowerCase()) ?? []);
  }

  /** Every link of these members, pending ones included: callers decide what a link lets whom see. */
  findByMemberIds(memberIds: string[]): Promise<PartnerAccountRecord[]> {
    return this.accounts.find({ where: { memberId: In(memberIds) }, order: { linkedAt: "ASC", partnerId: "ASC" } });
  }

  /**
   * Links a member's account: PENDING when a partner's app asks, ACTIVE when the member or an admin
   * does. Idempotent: the same link again returns it (made ACTIVE when an agreed caller repeats a
   * pending one); a different account id for the same pair is a conflict.
   */
  async link(input: LinkPartnerAccountInput, made: LinkMade, caller: AuditCaller): Promise<PartnerAccountRecord> {
    const memberId = requireId(input.memberId, "memberId");
    const partnerId = requireId(input.partnerId, "partnerId");
    const externalId = requireText(input.externalId, "externalId", { max: 100 });
    if (!(await this.members.existsBy({ id: memberId }))) throw notFound(`No member with id ${memberId}`);
    const [partner] = await this.partners.entities<{ id: string }>("Partner", [partnerId], "id");
    if (!partner) throw notFound(`No partner with id ${partnerId}`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (tx) => {
          if (made.confirmed) await replaceUnconfirmedClaims(tx, partnerId, externalId, memberId, caller);
          const { link, changed } = await this.upsert(tx, memberId, partnerId, externalId, made);
          // A repeat that changed nothing (the same link again) is a replay: no line (README, The audit trail).
          if (changed) await auditWrite(tx, caller, { action: "LINK_PARTNER_ACCOUNT", memberId, partnerId });
          return link;
        });
      } catch (error) {
        // A race on the account id key is settled by running again (account-id-key.ts).
        if (!isAccountIdViolation(error)) throw error;
        if (attempt < ACCOUNT_ID_TRIES) continue;
        throw accountIdTaken(externalId);
      }
    }
  }

  /** The member's own link with this partner, now ACTIVE; NOT_FOUND when the member has none. */
  async approve(memberId: string, partnerId: string): Promise<PartnerAccountRecord> {
    const [rows] = (await this.dataSource.query(
      `UPDATE partner_accounts SET status = 'ACTIVE' WHERE member_id = $1 AND partner_id = $2 RETURNING ${COLUMNS}`,
      [memberId, partnerId],
    )) as [Row[], number];
    if (!rows.length) throw notFound(`You have no link with partner ${partnerId}`);
    return toRecord(rows[0]);
  }

  /**
   * Ends a link by deleting it: nothing left that could still give a view, and linking again later
   * starts afresh (partner_account_history, written by a trigger, keeps that it ended). True when there was a link.
   */
  async unlink(memberId: string, partnerId: string, caller: AuditCaller): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [, deleted] = (await tx.query(`DELETE FROM partner_accounts WHERE member_id = $1 AND partner_id = $2`, [memberId, partnerId])) as [unknown, number];
      // Only an ended link is a change worth a line; unlinking nothing changed nothing.
      if (deleted > 0) await auditWrite(tx, caller, { action: "UNLINK_PARTNER_ACCOUNT", memberId, partnerId });
      return deleted > 0;
    });
  }

  /**
   * One statement decides, and always answers with the pair's row: the new link, or the one already
   * there (made ACTIVE when an agreed caller repeats a pending link with the same account id). An
   * unlink racing it cannot leave it empty-handed: Postgres settles INSERT ... ON CONFLICT against
   * a concurrent delete itself (a read after the statement could find the row gone, and retrying that
   * read lost to 50 racing calls).
   */
  private async upsert(manager: EntityManager, memberId: string, partnerId: string, externalId: string, { status, confirmed }: LinkMade): Promise<{ link: PartnerAccountRecord; changed: boolean }> {
    let rows: (Row & { changed: boolean })[];
    try {
      // The same account id again: made ACTIVE by an agreed caller, confirmed once the partner's app or an admin gives it too.
      // `changed`: a new row (xmax = 0), or one whose status or confirmation this statement changed (against the row as it read it).
      rows = await manager.query(
        `WITH before AS (SELECT status, confirmed FROM partner_accounts WHERE member_id = $1 AND partner_id = $2), upserted AS (
           INSERT INTO partner_accounts (member_id, partner_id, external_id, status, confirmed) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (member_id, partner_id) DO UPDATE SET
             status = CASE WHEN partner_accounts.external_id = EXCLUDED.external_id AND EXCLUDED.status = 'ACTIVE' THEN 'ACTIVE' ELSE partner_accounts.status END,
             confirmed = partner_accounts.confirmed OR (partner_accounts.external_id = EXCLUDED.external_id AND EXCLUDED.confirmed)
           RETURNING ${COLUMNS}, xmax = 0 AS inserted
         )
         SELECT ${COLUMNS}, (u.inserted OR NOT EXISTS (SELECT FROM before b WHERE b.status = u.status AND b.confirmed = u.confirmed)) AS changed FROM upserted u`,
        [memberId, partnerId, externalId, status, confirmed],
      );
    } catch (error) {
      // The member was erased between the check above and this insert.
      if ((error as { driverError?: { code?: string } }).driverError?.code === "23503") throw notFound(`No member with id ${memberId}`);
      throw error;
    }
    // The pair was linked already, with another account id: a conflict; with the same one, the link.
    return { link: this.sameOrConflict(toRecord(rows[0]), externalId), changed: rows[0].changed };
  }

  private sameOrConflict(existing: PartnerAccountRecord, externalId: string): PartnerAccountRecord {
    if (existing.externalId === externalId) return existing;
    throw conflict(`This member is already linked to this partner with account id "${existing.externalId}"`, "externalId");
  }
}
