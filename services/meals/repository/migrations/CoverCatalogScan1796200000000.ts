import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Other customers' meals, the ranking scan's rows, as one index that holds
 * everything the scan returns (and the version a pick is checked by), in the
 * scan's order: rating, calories, then meal_id. Through (rating, calories)
 * alone each entry cost a lookup in the table, where neighbouring entries'
 * rows lie on unrelated pages: at ten million meals, with the table far larger
 * than the buffer pool, a page read from disk for most of them
 * (docs/performance.md). Entries of one batch now lie on one or two leaf pages.
 */
export class CoverCatalogScan1796200000000 implements MigrationInterface {
  name = "CoverCatalogScan1796200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE meals
         DROP KEY meals_rating_calories,
         ADD KEY meals_rating_calories (rating, calories, meal_id, customer_id, name, cuisine, eaten_time, version)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE meals DROP KEY meals_rating_calories, ADD KEY meals_rating_calories (rating, calories)");
  }
}
