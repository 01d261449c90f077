import { createGoalsClient, createMealsClient } from "@mealplan/client";
import { GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { CreateMealRequest, RecommendMealsRequest } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { expect } from "chai";
import { spawnService, type SpawnedService } from "../../tools/spawnService.js";
import { startOtlpReceiver, type OtlpReceiver, type TracedSpan } from "../harness/otlpReceiver.js";
import { dropDatabase, throwawayDatabaseName } from "../harness/testDatabase.js";

/** Span names as the gRPC instrumentation writes them: `grpc.` and the method path. */
const RECOMMEND = "grpc.mealplan.meals.v1.MealsService/RecommendMeals";
const GET_GOAL = "grpc.mealplan.goals.v1.GoalsService/GetGoal";

/** The OTEL_* variables of this process are left out, so that only the test's reach the services. */
function withoutOtel(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(([name, value]) => !name.startsWith("OTEL_") && value !== undefined),
  ) as Record<string, string>;
}

const isSql = (span: TracedSpan) => span.attributes["db.system"] === "mysql" || span.attributes["db.system.name"] === "mysql";

describe("observability: traces of the real services", function () {
  this.timeout(90000);
  let receiver: OtlpReceiver;
  const goalsDatabase = throwawayDatabaseName("goals");
  const mealsDatabase = throwawayDatabaseName("meals");
  let goalsProcess: SpawnedService;
  let mealsProcess: SpawnedService;

  before(async () => {
    receiver = await startOtlpReceiver();
    const otel = (name: string) => ({
      ...withoutOtel(process.env),
      OTEL_SERVICE_NAME: name,
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    goalsProcess = await spawnService("goals", { ...otel("goals"), GOALS_DB: goalsDatabase, GOALS_LISTEN: "127.0.0.1:0" });
    mealsProcess = await spawnService("meals", {
      ...otel("meals"),
      MEALS_DB: mealsDatabase,
      MEALS_LISTEN: "127.0.0.1:0",
      GOALS_TARGET: `127.0.0.1:${goalsProcess.port}`,
    });

    const goals = createGoalsClient(`127.0.0.1:${goalsProcess.port}`);
    const meals = createMealsClient(`127.0.0.1:${mealsProcess.port}`);
    const goal = {
      customerId: "traced",
      dailyCalories: 2000,
      kind: GoalKind.GOAL_KIND_DIET,
      description: "",
      version: "0",
      etag: "",
    };
    await goals.createGoal({ customerId: "traced", goal, requestId: "" });
    await meals.createMeal(
      CreateMealRequest.fromPartial({
        customerId: "traced",
        meal: { name: "Soup", calories: 300, rating: 4, eatenTime: new Date(0) },
      }),
    );
    await meals.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "traced" }));
    goals.close();
    meals.close();
    // A graceful stop exports the spans the batch processor still holds.
    for (const service of [mealsProcess, goalsProcess]) {
      service.child.kill("SIGTERM");
      expect(await service.exited).to.equal(0);
    }
  });
  after(async () => {
    await receiver?.stop();
    await dropDatabase(goalsDatabase);
    await dropDatabase(mealsDatabase);
  });

  it("traces RecommendMeals as one trace: the meals server span, its SQL statements, and the goals client and server spans under it", () => {
    const mealsServer = receiver.spans.find(
      (span) => span.service === "meals" && span.kind === "server" && span.name === RECOMMEND,
    );
    expect(mealsServer, "the meals server span").to.not.equal(undefined);
    const trace = receiver.spans.filter((span) => span.traceId === mealsServer!.traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const descendsFromMealsServer = (span: TracedSpan) => {
      for (let parent = span.parentSpanId; parent !== undefined; parent = byId.get(parent)?.parentSpanId) {
        if (parent === mealsServer!.spanId) return true;
      }
      return false;
    };

    const statements = trace.filter((span) => span.service === "meals" && isSql(span));
    expect(statements.length, "SQL statements of meals").to.be.greaterThan(2);
    expect(statements.every(descendsFromMealsServer), "every statement runs inside the call").to.equal(true);

    const goalsClients = trace.filter((span) => span.service === "meals" && span.kind === "client" && span.name === GET_GOAL);
    const goalsServers = trace.filter((span) => span.service === "goals" && span.kind === "server" && span.name === GET_GOAL);
    expect(goalsClients, "one goal fetch per answer").to.have.length(1);
    expect(goalsClients.every(descendsFromMealsServer)).to.equal(true);
    expect(goalsServers, "one server span per client call").to.have.length(1);
    // The goals process continues the trace: its server spans are children of meals' client spans, through gRPC metadata.
    expect(goalsServers.map((span) => span.parentSpanId)).to.have.members(goalsClients.map((span) => span.spanId));
    const goalsStatements = trace.filter((span) => span.service === "goals" && isSql(span));
    expect(goalsStatements.length).to.be.greaterThan(0);
    expect(goalsStatements.every((span) => goalsServers.some((server) => byId.get(span.parentSpanId!) === server))).to.equal(
      true,
    );
  });

  it("writes trace_id and span_id into the services' log lines of a traced call", () => {
    const mealsServer = receiver.spans.find(
      (span) => span.service === "meals" && span.kind === "server" && span.name === RECOMMEND,
    )!;
    const callLine = mealsProcess.logs.find(
      (line) => line.event === "call" && line.method === "/mealplan.meals.v1.MealsService/RecommendMeals",
    );
    expect(callLine).to.include({ trace_id: mealsServer.traceId, span_id: mealsServer.spanId });
    const goalsLines = goalsProcess.logs.filter(
      (line) => line.event === "call" && line.method === "/mealplan.goals.v1.GoalsService/GetGoal",
    );
    expect(goalsLines).to.have.length(1);
    expect(goalsLines.every((line) => line.trace_id === mealsServer.traceId)).to.equal(true);
    const startLine = mealsProcess.logs.find((line) => line.event === "listening");
    expect(startLine, "a line outside any call has no trace").to.not.have.property("trace_id");
    // The background database pings are not traced: every SQL span belongs to a call's trace or to the start-up.
    const queryText = (span: TracedSpan) => span.attributes["db.query.text"] ?? span.attributes["db.statement"];
    expect(receiver.spans.filter((span) => isSql(span) && queryText(span) === "SELECT 1")).to.deep.equal([]);
  });
});
