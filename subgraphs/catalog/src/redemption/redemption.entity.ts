import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { RedemptionStatus } from "./redemption-status";

/** A row of `redemptions`: one member spending points on one reward, keyed by the member and the client's idempotency key. */
@Entity("redemptions")
export class RedemptionRecord {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid", { name: "member_id" })
  memberId!: string;

  @Column("uuid", { name: "reward_id" })
  rewardId!: string;

  @Column("int", { name: "points_spent" })
  pointsSpent!: number;

  @Column("text")
  status!: RedemptionStatus;

  @Column("text", { name: "voucher_code", nullable: true })
  voucherCode!: string | null;

  @Column("text", { name: "idempotency_key" })
  idempotencyKey!: string;

  /** The error code a FAILED redemption failed with, replayed to retries with the same key. */
  @Column("text", { name: "failure_reason", nullable: true })
  failureReason!: string | null;

  /** Set on a FAILED redemption retried with the same key: the redemption that took its key over. */
  @Column("uuid", { name: "superseded_by", nullable: true })
  supersededBy!: string | null;

  @Column("uuid", { name: "ledger_entry_id", nullable: true })
  ledgerEntryId!: string | null;

  @Column("timestamptz", { name: "voucher_used_at", nullable: true })
  voucherUsedAt!: Date | null;

  @Column("timestamptz", { name: "cancel_requested_at", nullable: true })
  cancelRequestedAt!: Date | null;

  /** The audited caller (admin) who claimed the cancellation, for its CANCEL_REDEMPTION line when it completes; null otherwise. */
  @Column("text", { name: "cancel_requested_by", nullable: true })
  cancelRequestedBy!: string | null;

  /** The request id of that claim, for the same line. */
  @Column("text", { name: "cancel_request_id", nullable: true })
  cancelRequestId!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
