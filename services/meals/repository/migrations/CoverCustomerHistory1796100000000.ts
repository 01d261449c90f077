import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A customer's meals as one contiguous index range holding everything the
 * recommendation reads of them: today's sum (calories) and the own candidates
 * (calories, rating, name, cuisine; meal_id comes with every entry as the
 * primary key). Through meals_customer_eaten each of those rows cost a lookup
 * in the table, and a customer's meals, logged over weeks among everyone
 * else's, lie on as many pages as there are meals: once the table outgrows the
 * buffer pool, a page read from disk each (docs/performance.md). The new index
 * keeps (customer_id, eaten_time) as its prefix, so it serves every query the
 * old one served.
 */
export class CoverCustomerHistory1796100000000 implements MigrationInterface {
  name = "CoverCustomerHistory1796100000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE meals
         ADD KEY meals_customer_history (customer_id, eaten_time, calories, rating, name, cuisine),
         DROP KEY meals_customer_eaten`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE meals ADD KEY meals_customer_eaten (customer_id, eaten_time), DROP KEY meals_customer_history",
    );
  }
}
