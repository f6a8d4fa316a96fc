import { Column, Entity, PrimaryColumn } from "typeorm";
import { PartnerAccountStatus } from "./partner-account-status";

/** A member's own account id at one partner brand (loyalty card number, customer id…). */
@Entity("partner_accounts")
export class PartnerAccountRecord {
  @PrimaryColumn("uuid", { name: "member_id" })
  memberId!: string;

  @PrimaryColumn("uuid", { name: "partner_id" })
  partnerId!: string;

  @Column("text", { name: "external_id" })
  externalId!: string;

  @Column("timestamptz", { name: "linked_at", default: () => "now()" })
  linkedAt!: Date;

  /** PENDING until the member agrees; only ACTIVE gives the partner a view of the member. */
  @Column("text", { default: PartnerAccountStatus.PENDING })
  status!: PartnerAccountStatus;

  /** The account id came from the partner's app or an admin (true), or the member typed it (false: unverified). */
  @Column("boolean")
  confirmed!: boolean;
}
