import { expect } from "chai";
import {
  GoalsServiceService,
  type GetGoalRequest,
  type GetGoalResponse,
  type UpdateGoalRequest,
  type UpdateGoalResponse,
} from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import {
  MealsServiceService,
  type GetCalorieStatsRequest,
  type GetCalorieStatsResponse,
  type GetDailySummaryRequest,
  type GetDailySummaryResponse,
} from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { spawnService, type SpawnedService } from "../../tools/spawnService.js";
import { violationCount } from "../../tools/verify/checkHistory.js";
import { formatReport } from "../../tools/verify/formatReport.js";
import type { Method } from "../../tools/verify/History.js";
import { runVerification, type VerificationRun } from "../../tools/verify/runVerification.js";
import { DEFAULT_SETTINGS } from "../../tools/verify/VerifySettings.js";
import { dropDatabase, throwawayDatabaseName } from "../harness/testDatabase.js";
import { fault, staleCache, startFaultyProxy, type FaultyProxy } from "./faultyProxy.js";

const EVERY_METHOD: Method[] = [
  "CreateGoal",
  "UpdateGoal",
  "GetGoal",
  "CreateMeal",
  "UpdateMeal",
  "DeleteMeal",
  "GetDailySummary",
  "GetCalorieStats",
  "RecommendMeals",
];

/** A stats answer with every day judged by today's goal: what a service that ignores the goal history would say. */
async function everyDayUnderTodaysGoal(
  request: GetCalorieStatsRequest,
  forward: (request: GetCalorieStatsRequest) => Promise<GetCalorieStatsResponse>,
): Promise<GetCalorieStatsResponse> {
  const answer = await forward(request);
  const days = answer.series!.days;
  const { dailyCalories, goalVersion } = days.at(-1)!;
  const judged = days.map((day) => ({
    ...day,
    dailyCalories,
    goalVersion,
    remainingCalories: dailyCalories === undefined ? undefined : dailyCalories - day.consumedCalories,
  }));
  return { ...answer, series: { ...answer.series!, days: judged } };
}

describe("verify: a short run against two replicas of each service", function () {
  // 20 s of workload, plus starting four processes and reading the final goals.
  this.timeout(120_000);
  let run: VerificationRun;
  let report: string;

  before(async () => {
    run = await runVerification({ ...DEFAULT_SETTINGS, durationMs: 20_000, clients: 24, seed: 20251127 });
    report = formatReport(run);
    // The table an operator would see, kept in the CI log as the run's evidence.
    process.stdout.write(`${report}\n`);
  });

  it("finds no violation of any guarantee", () => {
    expect(violationCount(run.results), report).to.equal(0);
  });

  it("examined thousands of calls of every kind, through every replica", () => {
    const { calls } = run.history;
    // An idle 2-core machine makes 4,000-6,000 calls in 20 s; the floor leaves room for one busy with other work.
    expect(calls.length, report).to.be.greaterThan(1000);
    for (const method of EVERY_METHOD) {
      // CreateGoal succeeds once per customer; every other method many times.
      expect(
        calls.filter((call) => call.method === method && call.outcome.status === "ok").length,
        `${method} answered OK`,
      ).to.be.greaterThan(method === "CreateGoal" ? 0 : 20);
    }
    const replicas = new Set(calls.map((call) => call.replica));
    expect([...replicas]).to.have.members([...run.goalsAddresses, ...run.mealsAddresses]);
  });

  it("gave every check calls to judge", () => {
    for (const result of run.results) expect(result.examined, result.title).to.be.greaterThan(50);
  });
});

describe("verify: control, the same run through replicas that serve stale answers and drop etags", function () {
  this.timeout(120_000);
  const goalsDatabase = throwawayDatabaseName("verify_goals");
  const mealsDatabase = throwawayDatabaseName("verify_meals");
  const services: SpawnedService[] = [];
  const proxies: FaultyProxy[] = [];
  let run: VerificationRun;

  before(async () => {
    const goals = await spawnService("goals", { GOALS_DB: goalsDatabase, GOALS_LISTEN: "127.0.0.1:0" });
    services.push(goals);
    // A goals replica that answers reads from a cache that ignores writes, and ignores etags.
    const goalsProxy = await startFaultyProxy(GoalsServiceService, `127.0.0.1:${goals.port}`, {
      getGoal: fault(staleCache<GetGoalRequest, GetGoalResponse>((request) => request.customerId, 1000)),
      updateGoal: fault<UpdateGoalRequest, UpdateGoalResponse>((request, forward) =>
        forward({ ...request, goal: { ...request.goal!, etag: "" } }),
      ),
    });
    proxies.push(goalsProxy);
    const meals = await spawnService("meals", {
      MEALS_DB: mealsDatabase,
      MEALS_LISTEN: "127.0.0.1:0",
      GOALS_TARGET: goalsProxy.address,
    });
    services.push(meals);
    // A meals replica that caches daily summaries and judges every day of the stats by today's goal.
    const mealsProxy = await startFaultyProxy(MealsServiceService, `127.0.0.1:${meals.port}`, {
      getDailySummary: fault(
        staleCache<GetDailySummaryRequest, GetDailySummaryResponse>((request) => `${request.customerId}/${request.date}`, 1000),
      ),
      getCalorieStats: fault(everyDayUnderTodaysGoal),
    });
    proxies.push(mealsProxy);
    run = await runVerification({
      ...DEFAULT_SETTINGS,
      durationMs: 8_000,
      clients: 16,
      seed: 20251127,
      goalsAddresses: [goalsProxy.address],
      mealsAddresses: [mealsProxy.address],
    });
  });
  after(async () => {
    for (const proxy of proxies) proxy.stop();
    for (const service of services) service.child.kill("SIGTERM");
    await Promise.all(services.map((service) => service.exited));
    await dropDatabase(goalsDatabase);
    await dropDatabase(mealsDatabase);
  });

  it("catches the stale goal versions (check 2), the lost conditional updates (check 3), the stale totals (check 4) and the days judged by today's goal (check 6)", () => {
    const report = formatReport(run);
    const [, versionCurrent, noLostUpdate, consumedCalories, , dayGoals] = run.results;
    expect(
      dayGoals.violations.some((violation) =>
        /^judges \S+ \(\S+\) by goal version \d+, but no goal was in force/.test(violation.explanation),
      ),
      report,
    ).to.equal(true);
    expect(versionCurrent.violations, report).to.have.length.greaterThan(0);
    const lostConditionalWrite = /a write conditional on version \d+ produced version/;
    expect(
      noLostUpdate.violations.some((violation) => lostConditionalWrite.test(violation.explanation)),
      report,
    ).to.equal(true);
    expect(consumedCalories.violations, report).to.have.length.greaterThan(0);
  });
});
