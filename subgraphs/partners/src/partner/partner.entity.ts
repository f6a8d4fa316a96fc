import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { PartnerCategory } from "../../../../shared/src/enums";

/** A row of `partners`. `points_per_unit` is NUMERIC, which pg returns as a string. */
@Entity("partners")
export class PartnerRecord {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("text")
  slug!: string;

  @Column("text")
  name!: string;

  @Column("text")
  category!: PartnerCategory;

  @Column("numeric", { name: "points_per_unit", precision: 12, scale: 4 })
  pointsPerUnit!: string;

  @Column("char", { length: 3 })
  currency!: string;

  @Column("int", { name: "return_window_days" })
  returnWindowDays!: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;
}
