import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateMealTables1764271000000 implements MigrationInterface {
  name = "CreateMealTables1764271000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE meal_logs (
        customer_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        log_version BIGINT NOT NULL,
        PRIMARY KEY (customer_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // meals_customer_eaten serves a customer's day, list and own older meals;
    // meals_rating_calories serves the recommendation scan, best rating first,
    // largest meal that still fits first, without a sort.
    await queryRunner.query(`
      CREATE TABLE meals (
        meal_id BIGINT NOT NULL AUTO_INCREMENT,
        customer_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        name VARCHAR(200) NOT NULL,
        calories INT NOT NULL,
        rating TINYINT NOT NULL,
        cuisine VARCHAR(64) NOT NULL,
        eaten_time DATETIME(3) NOT NULL,
        version BIGINT NOT NULL,
        create_time DATETIME(3) NOT NULL,
        update_time DATETIME(3) NOT NULL,
        request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        PRIMARY KEY (meal_id),
        KEY meals_customer_eaten (customer_id, eaten_time),
        KEY meals_rating_calories (rating, calories),
        UNIQUE KEY meals_request (customer_id, request_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE meals");
    await queryRunner.query("DROP TABLE meal_logs");
  }
}
