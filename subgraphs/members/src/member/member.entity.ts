import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("members")
export class MemberRecord {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  /** Stored lowercased; unique. */
  @Column("text")
  email!: string;

  @Column("text", { name: "display_name" })
  displayName!: string;

  /** Set by the database (a random default); never written by the service. */
  @Column({ type: "text", name: "referral_code", insert: false, update: false })
  referralCode!: string;

  @CreateDateColumn({ name: "enrolled_at", type: "timestamptz" })
  enrolledAt!: Date;
}
