import { randomUUID } from "node:crypto";
import { DataSource, Repository } from "typeorm";
import { type AuditCaller, actorOf, auditWrite, recordAudits } from "../../../../shared/src/audit/record-audit";
import type { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { isUniqueViolation } from "../../../../shared/src/database";
import { preparedFindByIds } from "../../../../shared/src/prepared-by-id";
import { badInput, conflict } from "../../../../shared/src/errors";
import { quoted } from "../../../../shared/src/quoted";
import { requireId, requireText } from "../../../../shared/src/validation";
import { ACCOUNT_ID_TRIES, accountIdTaken, isAccountIdViolation, replaceUnconfirmedClaims } from "../partner-account/account-id-key";
import { MemberRecord } from "./member.entity";
import type { EnrollMemberInput } from "./enroll-member.input";

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is checked by email, not regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An address as stored and looked up: trimmed, lower case, in Unicode's composed form (one é, not e and an accent: the same address). */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase().normalize("NFC");
  if (normalized.length > 254 || !EMAIL.test(normalized)) throw badInput(`${quoted(email)} is not a valid email address`, "email");
  return normalized;
}

/** A link's member row deleted under it (an erasure committing while the statement waited on its lock). */
const isMemberErasedMeanwhile = (error: unknown) => {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === "23503" && driverError.constraint === "partner_accounts_member_id_fkey";
};

export class MemberService {
  private readonly members: Repository<MemberRecord>;

  constructor(
    private readonly dataSource: DataSource,
    /** The ledger, told who referred a member being enrolled (it rewards both on the first purchase). */
    private readonly ledger?: SubgraphClient,
  ) {
    this.members = dataSource.getRepository(MemberRecord);
  }

  /** An admin read members' profiles: one audit line each, in one statement (a read changes nothing else to be atomic with). */
  async auditProfileReads(caller: AuditCaller, memberIds: string[]): Promise<void> {
    if (caller.identity.kind !== "admin" || !memberIds.length) return;
    const actor = actorOf(caller.identity);
    await recordAudits(this.dataSource.manager, memberIds.map((memberId) => ({ actor, action: "READ_MEMBER_PROFILE", memberId, requestId: caller.requestId })));
  }

  /**
   * The referrer of a member being enrolled with `code`, checked before anything is written: an
   * unknown code, or (`refuseOwnCode`) the member's own (the same address), is BAD_USER_INPUT. The
   * ledger records the referral under the new member's id, chosen here, before the member is written:
   * if the ledger is unreachable nothing is enrolled (a retry is safe); if the enrolment then fails or
   * finds the address enrolled already, the ledger holds a referral for an id no member has, which
   * never pays. That is what a till's enrolment of the code owner's own address does, unrefused: its
   * answer must not tell whether an address is enrolled (enrollAtTill), and that address always is.
   */
  private async registerReferral(code: string | null | undefined, email: string, newMemberId: string, { refuseOwnCode }: { refuseOwnCode: boolean }): Promise<void> {
    if (code == null) return;
    const normalized = code.trim().toUpperCase();
    const referrer = /^[0-9A-F]{16}$/.test(normalized) ? await this.members.findOneBy({ referralCode: normalized }) : null;
    if (!referrer) throw badInput("referralCode: no member has this referral code", "referralCode");
    if (refuseOwnCode && referrer.email === email) throw badInput("A member cannot refer themself", "referralCode");
    if (!this.ledger) throw new Error("MemberService has no ledger client to register a referral with");
    await this.ledger.request(`mutation($referrer: ID!, $referred: ID!) { registerReferral(referrerMemberId: $referrer, referredMemberId: $referred) }`, {
      referrer: referrer.id,
      referred: newMemberId,
    });
  }

  findByIds(ids: string[]): Promise<MemberRecord[]> {
    return preparedFindByIds(this.dataSource, MemberRecord, ids);
  }

  findByEmail(email: string): Promise<MemberRecord | null> {
    return this.members.findOneBy({ email: normalizeEmail(email) });
  }

  /** Members in enrolment order; `after` is the id of the last member of the previous page. */
  async list(first: number, after?: string | null): Promise<MemberRecord[]> {
    const query = this.members.createQueryBuilder("m").orderBy("m.enrolled_at", "ASC").addOrderBy("m.id", "ASC").limit(first);
    // Not `if (after)`: an empty string is a cursor that names no member (BAD_USER_INPUT), not the first page.
    if (after != null) {
      const id = requireId(after, "after");
      if (!(await this.members.existsBy({ id }))) throw badInput(`after must be the id of a member, got ${quoted(after)}`, "after");
      // Compared in SQL: a JS Date would round enrolled_at's microseconds away.
      query.where("(m.enrolled_at, m.id) > (SELECT c.enrolled_at, c.id FROM members c WHERE c.id = :id)", { id });
    }
    return query.getMany();
  }

  async enroll(input: EnrollMemberInput, caller: AuditCaller): Promise<MemberRecord> {
    const email = normalizeEmail(input.email);
    const displayName = requireText(input.displayName, "displayName", { max: 80 });
    const id = randomUUID();
    await this.registerReferral(input.referralCode, email, id, { refuseOwnCode: true });
    try {
      return await this.dataSource.transaction(async (tx) => {
        const member = await tx.save(this.members.create({ id, email, displayName }));
        await auditWrite(tx, caller, { action: "ENROLL_MEMBER", memberId: member.id });
        return member;
      });
    } catch (error) {
      if (isUniqueViolation(error, "members_email_key")) throw conflict(`A member with email ${email} is already enrolled`, "email");
      throw error;
    }
  }

  /**
   * A partner app enrolling a customer at its till: the member with this address, enrolled now or
   * before, and a PENDING link from the partner (left as it is when the pair is linked already). One
   * statement for both cases, so neither the answer nor its timing says whether the address was new;
   * an account id held by another member at this partner is a CONFLICT either way.
   */
  async enrollAtTill(partnerId: string, input: EnrollMemberInput, caller: AuditCaller): Promise<MemberRecord> {
    const email = normalizeEmail(input.email);
    const displayName = requireText(input.displayName, "displayName", { max: 80 });
    const externalId = input.externalId == null ? null : requireText(input.externalId, "externalId", { max: 100 });
    const id = randomUUID();
    await this.registerReferral(input.referralCode, email, id, { refuseOwnCode: false });
    // Three tries at most: an address enrolled concurrently is committed after this statement's snapshot,
    // so a try may find no row; and two tills linking the same card at once can race on the account id key (account-id-key.ts).
    for (let attempt = 1; attempt <= ACCOUNT_ID_TRIES; attempt++) {
      let rows: { id: string; email: string; display_name: string; enrolled_at: Date }[];
      try {
        // The statement and its audit line in one transaction; both cases write one line, so timing still tells nothing.
        rows = await this.dataSource.transaction(async (tx) => {
          // The link's account id (the till's card number, else the member's id) is the partner's own: it replaces another
          // member's unconfirmed claim to it (account-id-key.ts), and confirms the member's own. Without a card number the
          // member's id is the account id: another member who typed it as theirs must not block the till either. Both
          // cases (new or enrolled address) run the same statements, so timing still tells nothing.
          const [holder]: { id: string }[] = await tx.query(`SELECT id FROM members WHERE email = $1`, [email]);
          await replaceUnconfirmedClaims(tx, partnerId, externalId ?? holder?.id ?? id, holder?.id ?? null, caller);
          const found: typeof rows = await tx.query(
          `WITH inserted AS (
             INSERT INTO members (id, email, display_name) VALUES ($5, $1, $2) ON CONFLICT (email) DO NOTHING RETURNING id, email, display_name, enrolled_at
           ), member AS (
             SELECT * FROM inserted UNION ALL SELECT id, email, display_name, enrolled_at FROM members WHERE email = $1 LIMIT 1
           ), link AS (
             INSERT INTO partner_accounts (member_id, partner_id, external_id, status, confirmed)
             SELECT id, $3, coalesce($4, id::text), 'PENDING', true FROM member
             ON CONFLICT (member_id, partner_id) DO UPDATE SET confirmed = true
             WHERE NOT partner_accounts.confirmed AND partner_accounts.external_id = EXCLUDED.external_id
           )
           SELECT * FROM member`,
          [email, displayName, partnerId, externalId, id],
          );
          if (found[0]) await auditWrite(tx, caller, { action: "ENROLL_MEMBER", memberId: found[0].id, partnerId });
          return found;
        });
      } catch (error) {
        // The member this statement found was erased meanwhile (the link's foreign key waited on the erasure's lock on the
        // row): the address is free now, and the next try enrols it as a new address, as the answer for one must be.
        if (isMemberErasedMeanwhile(error) && attempt < ACCOUNT_ID_TRIES) continue;
        if (!isAccountIdViolation(error)) throw error;
        if (attempt < ACCOUNT_ID_TRIES) continue;
        throw accountIdTaken(externalId);
      }
      const [row] = rows;
      if (row) return Object.assign(new MemberRecord(), { id: row.id, email: row.email, displayName: row.display_name, enrolledAt: row.enrolled_at });
    }
    throw conflict("This address is being enrolled concurrently; try again", "email");
  }
}
