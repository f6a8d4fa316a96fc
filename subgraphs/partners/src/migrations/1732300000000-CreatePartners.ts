import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreatePartners1732300000000 implements MigrationInterface {
  name = "CreatePartners1732300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CONSTRAINT partners_slug_key UNIQUE,
        name text NOT NULL,
        category text NOT NULL CHECK (category IN ('AIRLINE','GROCERY','FUEL','HOTEL','DINING','RETAIL','TRAVEL','OTHER')),
        points_per_unit numeric(12,4) NOT NULL CHECK (points_per_unit > 0),
        currency char(3) NOT NULL,
        return_window_days int NOT NULL DEFAULT 0 CHECK (return_window_days BETWEEN 0 AND 365),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE partners`);
  }
}
