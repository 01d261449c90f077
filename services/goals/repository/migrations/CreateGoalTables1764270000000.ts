import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateGoalTables1764270000000 implements MigrationInterface {
  name = "CreateGoalTables1764270000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    // customer_id compares byte for byte: "Ann" and "ann" are two customers.
    await queryRunner.query(`
      CREATE TABLE goals (
        customer_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        daily_calories INT NOT NULL,
        kind VARCHAR(16) NOT NULL,
        description VARCHAR(500) NOT NULL,
        version BIGINT NOT NULL,
        create_time DATETIME(3) NOT NULL,
        update_time DATETIME(3) NOT NULL,
        delete_time DATETIME(3) NULL,
        PRIMARY KEY (customer_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE goal_revisions (
        customer_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        version BIGINT NOT NULL,
        action VARCHAR(8) NOT NULL,
        daily_calories INT NOT NULL,
        kind VARCHAR(16) NOT NULL,
        description VARCHAR(500) NOT NULL,
        goal_create_time DATETIME(3) NOT NULL,
        revision_time DATETIME(3) NOT NULL,
        request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        PRIMARY KEY (customer_id, version),
        UNIQUE KEY goal_revisions_request (customer_id, request_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE goal_revisions");
    await queryRunner.query("DROP TABLE goals");
  }
}
