import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { TierLevel } from "../../../../shared/src/enums";

/** A row of `rewards`. */
@Entity("rewards")
export class RewardRecord {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid", { name: "partner_id" })
  partnerId!: string;

  @Column("text")
  title!: string;

  @Column("text")
  description!: string;

  @Column("int", { name: "cost_points" })
  costPoints!: number;

  @Column("text", { name: "minimum_tier" })
  minimumTier!: TierLevel;

  @Column("int", { nullable: true })
  stock!: number | null;

  /** The stock it was created with (limited stock only): stock + live redemptions always equals it. */
  @Column("int", { name: "initial_stock", nullable: true })
  initialStock!: number | null;

  @Column("int", { name: "max_per_member", nullable: true })
  maxPerMember!: number | null;

  @Column("timestamptz", { name: "valid_from", nullable: true })
  validFrom!: Date | null;

  @Column("timestamptz", { name: "valid_until", nullable: true })
  validUntil!: Date | null;

  @Column("boolean")
  active!: boolean;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  /** The creation key's scope, key and input hash (RewardCreationKeys1734910000000; shared/src/creation-keys.ts), null without one. Never read with the reward. */
  @Column("text", { name: "created_by", nullable: true, select: false })
  createdBy!: string | null;

  @Column("text", { name: "idempotency_key", nullable: true, select: false })
  idempotencyKey!: string | null;

  @Column("text", { nullable: true, select: false })
  fingerprint!: string | null;
}
