import { status } from "@grpc/grpc-js";
import { createGoalsClient, MealplanError } from "@mealplan/client";
import { expect } from "chai";
import { readGoalsConfig } from "../../services/goals/config.js";
import { startGoalsServer } from "../../services/goals/startGoalsServer.js";
import type { RunningService } from "../../shared/process/startDatabaseService.js";
import { captureLogger } from "../harness/captureLogger.js";
import { freePort } from "../harness/freePort.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { logMeal, setGoal } from "../harness/seed.js";
import { failureOf } from "../harness/statusDetails.js";
import { startTcpProxy, type TcpProxy } from "../harness/tcpProxy.js";
import { dropDatabase, throwawayDatabaseName } from "../harness/testDatabase.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CUSTOMERS = ["h1", "h2", "h3", "h4", "h5", "h6"];

/**
 * The meals service asks goals for the goal inside a summary's or
 * recommendation's transaction, while it holds a pooled connection. A goals
 * service that hangs (connections open, no answers) must not take the
 * connections that calls needing no goal run on.
 */
async function starvationRun(goalsCheckConnections: string): Promise<{ latenciesMs: number[]; failures: number }> {
  let proxy: TcpProxy | undefined;
  let fixture: MealplanFixture | undefined;
  try {
    fixture = await startMealplanFixture(async (goalsAddress) => {
      proxy = await startTcpProxy(goalsAddress);
      return {
        GOALS_TARGET: proxy.address,
        DB_POOL_SIZE: "4",
        GOALS_CHECK_CONNECTIONS: goalsCheckConnections,
        GOALS_CALL_TIMEOUT_MS: "3000",
      };
    });
    for (const customerId of CUSTOMERS) {
      await setGoal(fixture, customerId, 2000);
      await fixture.meals.recommendMeals({ customerId, maxResults: 1, timeZone: "" });
    }
    const meal = await logMeal(fixture, "other", { name: "Toast", calories: 200 });
    proxy!.hang();
    const recommendations = CUSTOMERS.map((customerId) =>
      fixture!.meals
        .recommendMeals({ customerId, maxResults: 1, timeZone: "" }, { deadline: Date.now() + 6000 })
        .catch(() => undefined),
    );
    await sleep(300);
    const latenciesMs: number[] = [];
    let failures = 0;
    for (const call of [
      () => logMeal(fixture!, "other", { name: "Tea", calories: 5 }),
      () => fixture!.meals.getMeal({ customerId: "other", mealId: meal.mealId }, { deadline: Date.now() + 2000 }),
      () => fixture!.meals.listMeals({ customerId: "other", pageSize: 5, pageToken: "" }, { deadline: Date.now() + 2000 }),
    ]) {
      const started = Date.now();
      await call().catch(() => (failures += 1));
      latenciesMs.push(Date.now() - started);
    }
    await Promise.all(recommendations);
    return { latenciesMs, failures };
  } finally {
    proxy?.close();
    await fixture?.stop();
  }
}

describe("meals: a goals service that hangs or restarts", () => {
  describe("pool starvation", () => {
    it("with goals hanging and the pool small, calls that need no goal still answer at once", async () => {
      const { latenciesMs, failures } = await starvationRun("2");
      expect(failures).to.equal(0);
      for (const latency of latenciesMs) expect(latency, `latencies ${latenciesMs.join(", ")} ms`).to.be.below(500);
    });

    it("control: letting every connection wait on goals (the old behaviour) starves them", async () => {
      const { latenciesMs, failures } = await starvationRun("4");
      expect(failures > 0 || latenciesMs.some((latency) => latency >= 1000), `latencies ${latenciesMs.join(", ")} ms`).to.equal(
        true,
      );
    });
  });

  describe("goals restarts", () => {
    const goalsDatabase = throwawayDatabaseName("restart_goals");
    let goalsAddress: string;
    let goals: RunningService | undefined;
    let fixture: MealplanFixture;

    const startGoals = async () => {
      const config = readGoalsConfig({ ...process.env, GOALS_DB: goalsDatabase, GOALS_LISTEN: goalsAddress });
      goals = await startGoalsServer(config, captureLogger("goals").logger);
    };

    before(async () => {
      goalsAddress = `127.0.0.1:${await freePort()}`;
      await startGoals();
      fixture = await startMealplanFixture({ GOALS_TARGET: goalsAddress });
    });
    after(async () => {
      await fixture.stop();
      await goals?.stop();
      await dropDatabase(goalsDatabase);
    });

    /** Stops goals for a few seconds while callers keep failing, so every channel to it is deep in reconnect backoff. */
    async function outage(duringOutage: () => Promise<unknown>) {
      await goals!.stop();
      const until = Date.now() + 3500;
      while (Date.now() < until) {
        await duringOutage().catch(() => undefined);
        await sleep(250);
      }
      await startGoals();
    }

    it("the first call after goals is back succeeds", async () => {
      const goalsClient = createGoalsClient(goalsAddress);
      await goalsClient.createGoal({
        customerId: "r1",
        goal: { customerId: "r1", dailyCalories: 2000, kind: 1, description: "", version: "0", etag: "" },
        requestId: "",
      });
      goalsClient.close();
      expect((await fixture.meals.recommendMeals({ customerId: "r1", maxResults: 1, timeZone: "" })).goalVersion).to.equal("1");

      await outage(() =>
        fixture.meals.recommendMeals({ customerId: "r1", maxResults: 1, timeZone: "" }, { deadline: Date.now() + 300 }),
      );
      const answer = await fixture.meals.recommendMeals(
        { customerId: "r1", maxResults: 1, timeZone: "" },
        { deadline: Date.now() + 5000 },
      );
      expect(answer.goalVersion).to.equal("1");
    });

    it("control: a channel as the gateway had it (pick_first, default backoff, no wait-for-ready) fails that call", async () => {
      const oldChannel = createGoalsClient(goalsAddress, {
        serviceConfig: { loadBalancingConfig: [{ pick_first: {} }], methodConfig: [] },
      });
      await oldChannel.getGoal({ customerId: "r1" });
      await outage(() => oldChannel.getGoal({ customerId: "r1" }, { deadline: Date.now() + 300 }));
      const failure = await failureOf(oldChannel.getGoal({ customerId: "r1" }, { deadline: Date.now() + 5000 }));
      oldChannel.close();
      expect(failure).to.be.instanceOf(MealplanError);
      expect(failure.code).to.equal(status.UNAVAILABLE);
    });
  });
});
