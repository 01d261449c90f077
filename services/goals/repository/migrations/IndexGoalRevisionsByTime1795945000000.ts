import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The goal in force at an instant is the revision written last at or before
 * it: one seek into (customer_id, revision_time, version), read backwards one
 * entry, whatever the length of the customer's history. Version is the
 * tie-break for revisions stamped in the same millisecond (InnoDB would append
 * it to the entries anyway, as part of the primary key; naming it says why).
 */
export class IndexGoalRevisionsByTime1795945000000 implements MigrationInterface {
  name = "IndexGoalRevisionsByTime1795945000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX goal_revisions_customer_time ON goal_revisions (customer_id, revision_time, version)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX goal_revisions_customer_time ON goal_revisions");
  }
}
