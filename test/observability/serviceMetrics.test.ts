import { Client, credentials, status } from "@grpc/grpc-js";
import { createGoalsClient, createMealsClient, type GoalsClient, type MealsClient } from "@mealplan/client";
import { CreateMealRequest, RecommendMealsRequest } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { expect } from "chai";
import { get } from "node:http";
import { spawnService, type SpawnedService } from "../../tools/spawnService.js";
import { failureOf } from "../harness/statusDetails.js";
import { dropDatabase, openTestConnection, throwawayDatabaseName } from "../harness/testDatabase.js";

const GOALS = "mealplan.goals.v1.GoalsService";
const MEALS = "mealplan.meals.v1.MealsService";

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) =>
    get({ host: "127.0.0.1", port, path: "/metrics" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve(body));
    }).on("error", reject),
  );
}

/** Every sample of a metric family, by its labels as written (`{...}`, or "" without labels), and its value. */
function samples(text: string, name: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) found[match[1] ?? ""] = Number(match[2]);
  }
  return found;
}

const unary = (service: string, method: string) => `grpc_type="unary",grpc_service="${service}",grpc_method="${method}"`;

/** A call grpc-js's typed clients cannot make: any path, any bytes. */
function rawCall(client: Client, path: string, body: Buffer): Promise<status> {
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      path,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      (error) => resolve(error?.code ?? status.OK),
    ),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("observability: the services' metrics endpoints", function () {
  this.timeout(90000);
  const goalsDatabase = throwawayDatabaseName("goals");
  const mealsDatabase = throwawayDatabaseName("meals");
  let goalsProcess: SpawnedService;
  let mealsProcess: SpawnedService;
  let goals: GoalsClient;
  let meals: MealsClient;
  let raw: Client;

  before(async () => {
    goalsProcess = await spawnService("goals", {
      GOALS_DB: goalsDatabase,
      GOALS_LISTEN: "127.0.0.1:0",
      METRICS_LISTEN: "127.0.0.1:0",
      DB_LOCK_WAIT_SECONDS: "1",
    });
    mealsProcess = await spawnService("meals", {
      MEALS_DB: mealsDatabase,
      MEALS_LISTEN: "127.0.0.1:0",
      METRICS_LISTEN: "127.0.0.1:0",
      GOALS_TARGET: `127.0.0.1:${goalsProcess.port}`,
    });
    goals = createGoalsClient(`127.0.0.1:${goalsProcess.port}`);
    meals = createMealsClient(`127.0.0.1:${mealsProcess.port}`);
    raw = new Client(`127.0.0.1:${goalsProcess.port}`, credentials.createInsecure());
  });
  after(async () => {
    goals?.close();
    meals?.close();
    raw?.close();
    for (const service of [mealsProcess, goalsProcess]) {
      service?.child.kill("SIGTERM");
      await service?.exited;
    }
    await dropDatabase(goalsDatabase);
    await dropDatabase(mealsDatabase);
  });

  it("is off without METRICS_LISTEN", async () => {
    const database = throwawayDatabaseName("goals");
    const plain = await spawnService("goals", { GOALS_DB: database, GOALS_LISTEN: "127.0.0.1:0" });
    plain.child.kill("SIGTERM");
    await plain.exited;
    await dropDatabase(database);
    expect(plain.metricsPort).to.equal(undefined);
    expect(plain.logs.filter((line) => line.event === "serving metrics")).to.deep.equal([]);
  });

  it("counts every call by method and code, those grpc-js ends before any handler included, and what the services did", async () => {
    const goal = { dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" };
    const created = await goals.createGoal({ customerId: "m1", goal: { ...goal, customerId: "m1" }, requestId: "" });
    for (let i = 0; i < 3; i++) await goals.getGoal({ customerId: "m1" });
    for (let i = 0; i < 2; i++) await failureOf(goals.getGoal({ customerId: "nobody" }));
    const stale = { ...goal, customerId: "m1", dailyCalories: 1900, etag: "v999" };
    expect((await failureOf(goals.updateGoal({ goal: stale, updateMask: ["daily_calories"] }))).code).to.equal(status.ABORTED);
    expect(await rawCall(raw, `/${GOALS}/NoSuchMethod`, Buffer.alloc(0))).to.equal(status.UNIMPLEMENTED);
    expect(await rawCall(raw, "/no.such.Service/AtAll", Buffer.alloc(0))).to.equal(status.UNIMPLEMENTED);
    expect(await rawCall(raw, `/${GOALS}/GetGoal`, Buffer.from([0xff, 0xff, 0xff]))).to.equal(status.INTERNAL);
    expect(await rawCall(raw, `/${GOALS}/GetGoal`, Buffer.alloc(5 * 1024 * 1024))).to.equal(status.RESOURCE_EXHAUSTED);

    // One retry after a lock wait timeout: the test holds the row past DB_LOCK_WAIT_SECONDS=1, then lets go.
    const holder = await openTestConnection(goalsDatabase);
    await holder.query("START TRANSACTION");
    await holder.query("SELECT * FROM goals WHERE customer_id = 'm1' FOR UPDATE");
    const update = goals.updateGoal({ goal: { ...stale, etag: created.goal!.etag }, updateMask: ["daily_calories"] });
    await sleep(1500);
    await holder.query("ROLLBACK");
    await holder.end();
    await update;

    // Meals: two meals, a recommendation (one call to goals), the goal moves, another recommendation (one
    // call: it asks for the goal once it holds the meal log, so nothing restarts), and one for a customer
    // without a goal.
    for (const name of ["Soup", "Stew"]) {
      await meals.createMeal(
        CreateMealRequest.fromPartial({ customerId: "m1", meal: { name, calories: 500, rating: 3, eatenTime: new Date(0) } }),
      );
    }
    await meals.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "m1" }));
    await goals.updateGoal({ goal: { ...stale, dailyCalories: 1800, etag: "" }, updateMask: ["daily_calories"] });
    await meals.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "m1" }));
    expect((await failureOf(meals.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "nobody" })))).code).to.equal(
      status.FAILED_PRECONDITION,
    );

    const goalsText = await scrape(goalsProcess.metricsPort!);
    expect(samples(goalsText, "grpc_server_started_total")).to.deep.equal({
      [`{${unary(GOALS, "CreateGoal")}}`]: 1,
      [`{${unary(GOALS, "GetGoal")}}`]: 3 + 2 + 1 + 1 + 2 + 1,
      [`{${unary(GOALS, "UpdateGoal")}}`]: 3,
      [`{${unary("unknown", "unknown")}}`]: 2,
    });
    expect(samples(goalsText, "grpc_server_handled_total")).to.deep.equal({
      [`{${unary(GOALS, "CreateGoal")},grpc_code="OK"}`]: 1,
      [`{${unary(GOALS, "GetGoal")},grpc_code="OK"}`]: 3 + 2,
      [`{${unary(GOALS, "GetGoal")},grpc_code="NotFound"}`]: 2 + 1,
      [`{${unary(GOALS, "UpdateGoal")},grpc_code="Aborted"}`]: 1,
      [`{${unary("unknown", "unknown")},grpc_code="Unimplemented"}`]: 2,
      [`{${unary(GOALS, "GetGoal")},grpc_code="Internal"}`]: 1,
      [`{${unary(GOALS, "GetGoal")},grpc_code="ResourceExhausted"}`]: 1,
      [`{${unary(GOALS, "UpdateGoal")},grpc_code="OK"}`]: 2,
    });
    expect(samples(goalsText, "grpc_server_handling_seconds_count")[`{${unary(GOALS, "GetGoal")}}`]).to.equal(10);
    expect(samples(goalsText, "mealplan_aborted_answers_total")).to.deep.equal({ '{reason="ETAG_MISMATCH"}': 1 });
    expect(samples(goalsText, "mealplan_transaction_retries_total")).to.deep.equal({ '{reason="lock_wait_timeout"}': 1 });
    expect(samples(goalsText, "mealplan_db_pool_connections_in_use")).to.deep.equal({ "": 0 });
    expect(samples(goalsText, "mealplan_db_pool_callers_waiting")).to.deep.equal({ "": 0 });
    expect(Object.keys(samples(goalsText, "process_cpu_seconds_total"))).to.have.length(1);

    const mealsText = await scrape(mealsProcess.metricsPort!);
    expect(samples(mealsText, "grpc_server_handled_total")).to.deep.equal({
      [`{${unary(MEALS, "CreateMeal")},grpc_code="OK"}`]: 2,
      [`{${unary(MEALS, "RecommendMeals")},grpc_code="OK"}`]: 2,
      [`{${unary(MEALS, "RecommendMeals")},grpc_code="FailedPrecondition"}`]: 1,
    });
    expect(samples(mealsText, "mealplan_goals_client_calls_total")).to.deep.equal({
      '{grpc_code="OK"}': 2,
      '{grpc_code="NotFound"}': 1,
    });
    expect(samples(mealsText, "mealplan_version_protocol_restarts_total")).to.deep.equal({ "": 0 });
    expect(Object.keys(samples(mealsText, "nodejs_heap_size_used_bytes"))).to.have.length(1);
  });
});
