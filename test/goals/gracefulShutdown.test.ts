import { expect } from "chai";
import type { Connection } from "mysql2/promise";
import { createGoalsClient, GoalKind } from "@mealplan/client";
import { spawnService, type SpawnedService } from "../../tools/spawnService.js";
import { dropDatabase, openTestConnection, throwawayDatabaseName, waitForLockWaits } from "../harness/testDatabase.js";

describe("goals: graceful shutdown", () => {
  const database = throwawayDatabaseName("shutdown");
  let service: SpawnedService;
  let db: Connection;
  before(async () => {
    service = await spawnService("goals", { GOALS_DB: database, GOALS_LISTEN: "127.0.0.1:0", SHUTDOWN_GRACE_MS: "20000" });
    db = await openTestConnection(database);
  });
  after(async () => {
    service.child.kill("SIGKILL");
    await db.end();
    await dropDatabase(database);
  });

  it("finishes a call that is in flight when SIGTERM arrives, then exits 0", async () => {
    const goals = createGoalsClient(`127.0.0.1:${service.port}`);
    const goal = {
      customerId: "slow",
      dailyCalories: 2000,
      kind: GoalKind.GOAL_KIND_DIET,
      description: "",
      version: "0",
      etag: "",
    };
    await goals.createGoal({ customerId: "slow", goal, requestId: "" });

    // Hold the goal's row lock so the update stays in flight until we let go.
    await db.beginTransaction();
    await db.query("SELECT * FROM goals WHERE customer_id = 'slow' FOR UPDATE");
    const update = goals.updateGoal({ goal: { ...goal, dailyCalories: 1500 } }, { deadline: Date.now() + 30000 });
    update.catch(() => undefined);
    await waitForLockWaits(db, 1);

    service.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(service.child.exitCode, "still draining").to.equal(null);
    await db.commit();

    const { goal: updated } = await update;
    expect(updated).to.include({ dailyCalories: 1500, version: "2" });
    expect(await service.exited).to.equal(0);
    expect(service.logs.map((line) => line.event)).to.include.members(["stopping", "stopped"]);
    goals.close();
  });
});
