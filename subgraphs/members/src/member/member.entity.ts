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

  @CreateDateColumn({ name: "enrolled_at", type: "timestamptz" })
  enrolledAt!: Date;
}
