import { GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { expect } from "chai";
import type { Connection } from "mysql2/promise";
import { dayWindowAt } from "../../services/meals/domain/calendar.js";
import { GoalsGateway, type GoalSnapshot } from "../../services/meals/goals/GoalsGateway.js";
import { GoalVersionProtocol } from "../../services/meals/protocol/GoalVersionProtocol.js";
import { MealRepository } from "../../services/meals/repository/MealRepository.js";
import { MEALS_MIGRATIONS } from "../../services/meals/startMealsServer.js";
import { eatenWithin } from "../../services/meals/repository/mealLogLocks.js";
import { readMysqlNodes } from "../../shared/config/environmentParsers.js";
import type { Database } from "../../shared/database/Database.js";
import { openDatabase } from "../../shared/database/openDatabase.js";
import { runTransaction } from "../../shared/database/Transaction.js";
import { startCluster, type GaleraCluster } from "../../tools/cluster/GaleraCluster.js";
import { clusterUrl } from "../../tools/cluster/clusterUrl.js";
import { connectToNode } from "../../tools/cluster/nodeConnection.js";
import { callScope } from "../harness/callScope.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";

/** Apart from the other cluster tests (24200, 24500, 24600, 24700), verify's default (24300) and the bench's (24400). */
const BASE_PORT = 24900;
const MEALS_DATABASE = "galera_snapshot";
const today = () => dayWindowAt(new Date(), "UTC");

/**
 * A summary of today on Galera, node 1, while another node logs a meal and
 * the goal moves, after the summary took its snapshot and before it asks for
 * the goal. Node 1's applier is held meanwhile (FLUSH TABLES WITH READ LOCK),
 * so node 1 has not seen the meal when goals answers: the lag a busy node has
 * for a moment, made long enough to see.
 */
describe("cluster: a summary's goal and its snapshot on Galera", function () {
  this.timeout(120_000);
  let cluster: GaleraCluster;
  let goals: GoalsFixture;
  let gateway: GoalsGateway;
  let onNode1: Database;
  let onNode2: Database;
  let applierHolder: Connection;

  before(async () => {
    cluster = await startCluster({ basePort: BASE_PORT, nodes: 2 });
    goals = await startGoalsFixture();
    gateway = new GoalsGateway({ target: goals.address, callTimeoutMs: 5000 });
    const open = (first: number) =>
      openDatabase({
        servers: readMysqlNodes({ MYSQL_URL: clusterUrl(cluster, first) }),
        database: MEALS_DATABASE,
        migrations: MEALS_MIGRATIONS,
        poolSize: 4,
        poolQueueLimit: 100,
        lockWaitTimeoutSeconds: 5,
      });
    onNode1 = await open(1);
    onNode2 = await open(2);
    applierHolder = await connectToNode(cluster.address(1));
  });
  after(async () => {
    await applierHolder?.end();
    await onNode1?.close();
    await onNode2?.close();
    gateway?.close();
    await goals?.stop();
    await cluster?.stop();
  });

  async function customerWithBreakfast(customerId: string): Promise<void> {
    await goals.goals.createGoal({
      customerId,
      goal: { customerId, dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" },
      requestId: "",
    });
    const breakfast = { name: "Breakfast", calories: 100, rating: 3, cuisine: "", eatenTime: new Date() };
    await new MealRepository(onNode1).createMeal(customerId, breakfast, undefined, callScope());
  }

  /** Holds node 1's applier, logs a meal through node 2, then moves the goal; node 1 catches up a second later. */
  async function interfere(customerId: string): Promise<{ goal: GoalSnapshot }> {
    await applierHolder.query("FLUSH TABLES WITH READ LOCK");
    const pie = { name: "Pie", calories: 200, rating: 3, cuisine: "", eatenTime: new Date() };
    await new MealRepository(onNode2).createMeal(customerId, pie, undefined, callScope());
    const { goal } = await goals.goals.updateGoal({
      goal: { customerId, dailyCalories: 1500, kind: 0, description: "", version: "0", etag: "" },
      updateMask: ["daily_calories"],
    });
    setTimeout(() => void applierHolder.query("UNLOCK TABLES"), 1000);
    return { goal: { dailyCalories: goal!.dailyCalories, version: goal!.version } };
  }

  it("control: with the goal asked for once, after the snapshot, the answer pairs the new goal with the meals before it", async () => {
    await customerWithBreakfast("single");
    let interference: Awaited<ReturnType<typeof interfere>> | undefined;
    const { goal, eaten } = await runTransaction(
      onNode1,
      async (transaction) => {
        const answer = eatenWithin("single", today());
        const held = await answer.hold(transaction);
        interference = await interfere("single");
        const current = await gateway.currentGoal("single", callScope());
        return { goal: current, eaten: await answer.compute(transaction, current, held) };
      },
      callScope(30_000),
    );
    // The pie was acknowledged before the new goal was even asked for (interfere awaits one, then the other), yet
    // the answer has the new goal without it: true at no instant.
    expect(goal.version).to.equal(interference!.goal.version);
    expect(eaten.consumedCalories).to.equal(100);
  });

  it("the protocol asks for the goal before the snapshot too, sees it move, and answers from a snapshot that has the meal", async () => {
    await customerWithBreakfast("bracketed");
    const protocol = new GoalVersionProtocol(onNode1, gateway, 2);
    let restarts = 0;
    protocol.onRestart = () => (restarts += 1);
    let interference: Awaited<ReturnType<typeof interfere>> | undefined;
    const summary = eatenWithin("bracketed", today());
    const { goal, result } = await protocol.underCurrentGoal("bracketed", callScope(30_000), {
      async hold(transaction) {
        const held = await summary.hold(transaction);
        interference ??= await interfere("bracketed");
        return held;
      },
      compute: (transaction, current, held) => summary.compute(transaction, current, held),
    });
    expect(restarts).to.equal(1);
    expect(goal.version).to.equal(interference!.goal.version);
    expect(result.consumedCalories).to.equal(300);
  });
});
