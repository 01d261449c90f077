import { credentials, status, type ChannelCredentials } from "@grpc/grpc-js";
import { createGoalsClient, createMealsClient, MealplanError, type GoalsClient, type MealsClient } from "@mealplan/client";
import {
  CreateGoalRequest,
  DeleteGoalRequest,
  GetGoalRequest,
  GoalKind,
  ListGoalRevisionsRequest,
  UpdateGoalRequest,
} from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import {
  CreateMealRequest,
  DeleteMealRequest,
  GetCalorieStatsRequest,
  GetDailySummaryRequest,
  GetMealRequest,
  ListMealsRequest,
  RecommendMealsRequest,
  UpdateMealRequest,
} from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { bufCurl } from "../harness/bufCurl.js";
import { makeTestCertificates, type KeyPair, type TestCertificates } from "../harness/certificates.js";
import { failureOf } from "../harness/statusDetails.js";
import { openTestConnection, queryRows } from "../harness/testDatabase.js";
import { startService, type StartedService } from "./startService.js";

type Outcome = "answered" | "UNAUTHENTICATED" | "PERMISSION_DENIED";

/** Whether the policy let the call through: any answer of the handler's (NOT_FOUND for a probe included) counts as answered. */
async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return "answered";
  } catch (error) {
    if (!(error instanceof MealplanError)) throw error;
    if (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED) {
      expect(error.reason, error.message).to.equal(
        error.code === status.UNAUTHENTICATED ? "CALLER_UNKNOWN" : "METHOD_NOT_ALLOWED",
      );
      return error.codeName as Outcome;
    }
    expect(error.code, `a refusal other than the policy's: ${error.message}`).to.not.equal(status.UNAVAILABLE);
    return "answered";
  }
}

/** One call per method that changes nothing (unknown customers, empty requests): the handler answers NOT_FOUND, INVALID_ARGUMENT... */
const GOALS_PROBES: Record<string, (client: GoalsClient) => Promise<unknown>> = {
  CreateGoal: (client) => client.createGoal(CreateGoalRequest.fromPartial({})),
  GetGoal: (client) => client.getGoal(GetGoalRequest.fromPartial({ customerId: "probe" })),
  UpdateGoal: (client) => client.updateGoal(UpdateGoalRequest.fromPartial({})),
  DeleteGoal: (client) => client.deleteGoal(DeleteGoalRequest.fromPartial({ customerId: "probe" })),
  ListGoalRevisions: (client) => client.listGoalRevisions(ListGoalRevisionsRequest.fromPartial({ customerId: "probe" })),
};
const MEALS_PROBES: Record<string, (client: MealsClient) => Promise<unknown>> = {
  CreateMeal: (client) => client.createMeal(CreateMealRequest.fromPartial({})),
  GetMeal: (client) => client.getMeal(GetMealRequest.fromPartial({ customerId: "probe", mealId: "1" })),
  UpdateMeal: (client) => client.updateMeal(UpdateMealRequest.fromPartial({})),
  DeleteMeal: (client) => client.deleteMeal(DeleteMealRequest.fromPartial({ customerId: "probe", mealId: "1" })),
  ListMeals: (client) => client.listMeals(ListMealsRequest.fromPartial({ customerId: "probe" })),
  GetDailySummary: (client) => client.getDailySummary(GetDailySummaryRequest.fromPartial({ customerId: "probe" })),
  GetCalorieStats: (client) => client.getCalorieStats(GetCalorieStatsRequest.fromPartial({ customerId: "probe" })),
  RecommendMeals: (client) => client.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "probe" })),
};

const ANSWERED = "answered" as const;
const DENIED = "PERMISSION_DENIED" as const;
const UNKNOWN = "UNAUTHENTICATED" as const;

/**
 * What each row of deploy/policy.example.yaml (plus a CN-only row of the
 * test's) says, written out by hand rather than asked of the policy code.
 */
type CallerName = "meals" | "reporting" | "admin" | "cnOnly" | "unknownCaller";
const EXPECTED: Record<CallerName, { goals: Record<string, Outcome>; meals: Record<string, Outcome> }> = {
  meals: {
    goals: { CreateGoal: DENIED, GetGoal: ANSWERED, UpdateGoal: DENIED, DeleteGoal: DENIED, ListGoalRevisions: DENIED },
    meals: Object.fromEntries(Object.keys(MEALS_PROBES).map((method) => [method, DENIED])),
  },
  reporting: {
    goals: { CreateGoal: DENIED, GetGoal: ANSWERED, UpdateGoal: DENIED, DeleteGoal: DENIED, ListGoalRevisions: ANSWERED },
    meals: {
      CreateMeal: DENIED,
      GetMeal: ANSWERED,
      UpdateMeal: DENIED,
      DeleteMeal: DENIED,
      ListMeals: ANSWERED,
      GetDailySummary: ANSWERED,
      GetCalorieStats: ANSWERED,
      RecommendMeals: DENIED,
    },
  },
  admin: {
    goals: Object.fromEntries(Object.keys(GOALS_PROBES).map((method) => [method, ANSWERED])),
    meals: Object.fromEntries(Object.keys(MEALS_PROBES).map((method) => [method, ANSWERED])),
  },
  cnOnly: {
    goals: { CreateGoal: DENIED, GetGoal: ANSWERED, UpdateGoal: DENIED, DeleteGoal: DENIED, ListGoalRevisions: DENIED },
    meals: Object.fromEntries(Object.keys(MEALS_PROBES).map((method) => [method, DENIED])),
  },
  unknownCaller: {
    goals: Object.fromEntries(Object.keys(GOALS_PROBES).map((method) => [method, UNKNOWN])),
    meals: Object.fromEntries(Object.keys(MEALS_PROBES).map((method) => [method, UNKNOWN])),
  },
};

const IDENTITIES: Record<CallerName, string> = {
  meals: "spiffe://mealplan.example/meals",
  reporting: "spiffe://mealplan.example/reporting",
  admin: "spiffe://mealplan.example/admin",
  cnOnly: "cn-only-caller",
  unknownCaller: "spiffe://mealplan.example/unknown-caller",
};

describe("security: mTLS and per-caller authorization", function () {
  this.timeout(120000);
  let certs: TestCertificates;
  let goals: StartedService;
  let meals: StartedService;
  /** The controls: the same services in plaintext, with no policy. */
  let plainGoals: StartedService;
  let plainMeals: StartedService;
  const opened: { close(): void }[] = [];

  const tlsAs = (pair: KeyPair | undefined, ca = certs.ca): ChannelCredentials =>
    credentials.createSsl(Buffer.from(ca.cert.pem), pair && Buffer.from(pair.key.pem), pair && Buffer.from(pair.cert.pem));
  // By name: a client sends the host as TLS server name (SNI), which an IP address may not be (RFC 6066).
  const goalsAs = (channel: ChannelCredentials, address = `localhost:${goals.running.port}`) => {
    const client = createGoalsClient(address, { credentials: channel, defaultTimeoutMs: 5000 });
    opened.push(client);
    return client;
  };
  const mealsAs = (channel: ChannelCredentials, address = `localhost:${meals.running.port}`) => {
    const client = createMealsClient(address, { credentials: channel, defaultTimeoutMs: 5000 });
    opened.push(client);
    return client;
  };
  const serverTls = () => ({
    TLS_CERT: certs.server.cert.path,
    TLS_KEY: certs.server.key.path,
    TLS_CLIENT_CA: certs.ca.cert.path,
  });
  const goalsClientTls = (pair: KeyPair | undefined) => ({
    GOALS_TLS_CA: certs.ca.cert.path,
    ...(pair === undefined ? {} : { GOALS_TLS_CERT: pair.cert.path, GOALS_TLS_KEY: pair.key.path }),
  });

  before(async () => {
    certs = await makeTestCertificates();
    const policy = parse(await readFile("deploy/policy.example.yaml", "utf8")) as { callers: unknown[] };
    policy.callers.push({ identity: "cn-only-caller", allow: ["mealplan.goals.v1.GoalsService/GetGoal"] });
    const policyPath = join(certs.dir, "policy.yaml");
    await writeFile(policyPath, stringify(policy));

    goals = await startService("goals", { ...serverTls(), AUTHZ_POLICY: policyPath });
    meals = await startService("meals", {
      ...serverTls(),
      AUTHZ_POLICY: policyPath,
      GOALS_TARGET: `localhost:${goals.running.port}`,
      ...goalsClientTls(certs.meals),
    });
    plainGoals = await startService("goals", {});
    plainMeals = await startService("meals", { GOALS_TARGET: plainGoals.address });
  });
  after(async () => {
    for (const client of opened) client.close();
    for (const service of [meals, goals, plainMeals, plainGoals]) await service?.stop();
    await certs?.remove();
  });

  describe("the handshake", () => {
    it("refuses a caller without a client certificate, while the plaintext control answers anyone", async () => {
      const failure = await failureOf(goalsAs(tlsAs(undefined)).getGoal({ customerId: "probe" }));
      expect(failure.code).to.equal(status.UNAVAILABLE);
      const control = await failureOf(goalsAs(credentials.createInsecure(), plainGoals.address).getGoal({ customerId: "probe" }));
      expect(control.code, "the plaintext server reached its handler").to.equal(status.NOT_FOUND);
    });

    it("refuses a certificate from another CA, although it names the meals identity", async () => {
      const client = goalsAs(tlsAs(certs.otherCaMeals));
      expect((await failureOf(client.getGoal({ customerId: "probe" }))).code).to.equal(status.UNAVAILABLE);
      expect(goals.logs.filter((line) => line.event === "call" && line.caller === IDENTITIES.meals)).to.have.length(0);
    });

    it("refuses a plaintext caller", async () => {
      const failure = await failureOf(goalsAs(credentials.createInsecure()).getGoal({ customerId: "probe" }));
      expect(failure.code).to.equal(status.UNAVAILABLE);
    });
  });

  describe("each policy row allows and denies what it says", () => {
    for (const [caller, expected] of Object.entries(EXPECTED) as [CallerName, (typeof EXPECTED)[CallerName]][]) {
      it(`${caller} (${IDENTITIES[caller]}) on goals`, async () => {
        const client = goalsAs(tlsAs(certs[caller]));
        for (const [method, probe] of Object.entries(GOALS_PROBES)) {
          expect(await outcomeOf(probe(client)), `${caller} → goals ${method}`).to.equal(expected.goals[method]);
        }
      });
      it(`${caller} (${IDENTITIES[caller]}) on meals`, async () => {
        const client = mealsAs(tlsAs(certs[caller]));
        for (const [method, probe] of Object.entries(MEALS_PROBES)) {
          expect(await outcomeOf(probe(client)), `${caller} → meals ${method}`).to.equal(expected.meals[method]);
        }
      });
    }

    it("the controls: every probe reaches its handler on the plaintext services, whoever calls", async () => {
      const goalsClient = goalsAs(credentials.createInsecure(), plainGoals.address);
      const mealsClient = mealsAs(credentials.createInsecure(), plainMeals.address);
      for (const probe of Object.values(GOALS_PROBES)) expect(await outcomeOf(probe(goalsClient))).to.equal(ANSWERED);
      for (const probe of Object.values(MEALS_PROBES)) expect(await outcomeOf(probe(mealsClient))).to.equal(ANSWERED);
    });
  });

  describe("a refused call", () => {
    const create = (client: GoalsClient, customerId: string) =>
      client.createGoal({
        customerId,
        goal: { customerId, dailyCalories: 1800, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" },
        requestId: "",
      });
    const storedGoals = async (service: StartedService, customerId: string) => {
      const db = await openTestConnection(service.database);
      try {
        return (await queryRows(db, "SELECT customer_id FROM goals WHERE customer_id = ?", [customerId])).length;
      } finally {
        await db.end();
      }
    };

    it("never runs its handler, carries ErrorInfo, and is logged with caller and method", async () => {
      const denied = await failureOf(create(goalsAs(tlsAs(certs.meals)), "refused-1"));
      expect(denied).to.include({ code: status.PERMISSION_DENIED, reason: "METHOD_NOT_ALLOWED", domain: "goals.mealplan" });
      expect(denied.metadata).to.deep.include({ caller: IDENTITIES.meals });
      const unknown = await failureOf(create(goalsAs(tlsAs(certs.unknownCaller)), "refused-2"));
      expect(unknown).to.include({ code: status.UNAUTHENTICATED, reason: "CALLER_UNKNOWN", domain: "goals.mealplan" });
      expect(await storedGoals(goals, "refused-1")).to.equal(0);
      expect(await storedGoals(goals, "refused-2")).to.equal(0);

      const refusal = goals.logs.find((line) => line.event === "call refused" && line.caller === IDENTITIES.meals);
      expect(refusal).to.include({
        level: "warn",
        code: "PERMISSION_DENIED",
        method: '"/mealplan.goals.v1.GoalsService/CreateGoal"',
      });
      const callLine = goals.logs.findLast((line) => line.event === "call" && line.code === "UNAUTHENTICATED");
      expect(callLine).to.include({ caller: IDENTITIES.unknownCaller, method: "/mealplan.goals.v1.GoalsService/CreateGoal" });

      // The controls: the same call by admin under the policy, and by anyone in plaintext, writes the goal.
      await create(goalsAs(tlsAs(certs.admin)), "refused-1");
      expect(await storedGoals(goals, "refused-1")).to.equal(1);
      await create(goalsAs(credentials.createInsecure(), plainGoals.address), "refused-2");
      expect(await storedGoals(plainGoals, "refused-2")).to.equal(1);
    });
  });

  describe("meals calling goals", () => {
    it("recommends meals through meals whose goals requires mTLS and allows meals only GetGoal", async () => {
      const admin = { goals: goalsAs(tlsAs(certs.admin)), meals: mealsAs(tlsAs(certs.admin)) };
      await admin.goals.createGoal({
        customerId: "mtls",
        goal: { customerId: "mtls", dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" },
        requestId: "",
      });
      for (const [name, calories] of [
        ["Salad", 400],
        ["Pizza", 900],
      ] as const) {
        await admin.meals.createMeal(
          CreateMealRequest.fromPartial({ customerId: "mtls", meal: { name, calories, rating: 4, eatenTime: new Date(0) } }),
        );
      }
      const answer = await admin.meals.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "mtls" }));
      expect(answer.recommendations.map((meal) => meal.name)).to.have.members(["Salad", "Pizza"]);
      const goalsCall = goals.logs.findLast((line) => line.event === "call" && line.customer_id === "mtls");
      expect(goalsCall).to.include({ method: "/mealplan.goals.v1.GoalsService/GetGoal", caller: IDENTITIES.meals, code: "OK" });
    });

    it("the control: a meals service without a client certificate cannot reach goals", async () => {
      const anonymousMeals = await startService("meals", {
        GOALS_TARGET: `localhost:${goals.running.port}`,
        GOALS_CALL_TIMEOUT_MS: "1000",
        ...goalsClientTls(undefined),
      });
      try {
        const client = mealsAs(credentials.createInsecure(), anonymousMeals.address);
        const failure = await failureOf(client.recommendMeals(RecommendMealsRequest.fromPartial({ customerId: "mtls" })));
        expect(failure.code).to.equal(status.UNAVAILABLE);
      } finally {
        await anonymousMeals.stop();
      }
    });
  });

  describe("buf curl with --cacert, --cert and --key", () => {
    const tlsOf = (pair: KeyPair) => ({ cacert: certs.ca.cert.path, cert: pair.cert.path, key: pair.key.path });

    it("calls GetGoal as admin through reflection", async () => {
      const { stdout, exitCode } = await bufCurl(
        ["-d", '{"customer_id":"refused-1"}', `https://localhost:${goals.running.port}/mealplan.goals.v1.GoalsService/GetGoal`],
        tlsOf(certs.admin),
      );
      expect(exitCode, stdout).to.equal(0);
      expect(JSON.parse(stdout)).to.have.nested.property("goal.dailyCalories", 1800);
    });

    it("is refused without a client certificate", async () => {
      const { exitCode } = await bufCurl(["--list-services", `https://localhost:${goals.running.port}`], {
        cacert: certs.ca.cert.path,
      });
      expect(exitCode).to.not.equal(0);
    });

    it("lists services and checks health as a caller the policy does not know: health and reflection stay open", async () => {
      const unknown = tlsOf(certs.unknownCaller);
      const listed = await bufCurl(["--list-services", `https://localhost:${meals.running.port}`], unknown);
      expect(listed.exitCode, listed.stdout).to.equal(0);
      expect(listed.stdout.split("\n")).to.include("mealplan.meals.v1.MealsService");
      const health = await bufCurl([`https://localhost:${meals.running.port}/grpc.health.v1.Health/Check`], unknown);
      expect(health.exitCode, health.stdout).to.equal(0);
      expect(JSON.parse(health.stdout)).to.deep.equal({ status: "SERVING" });
      const refused = await bufCurl(
        ["-d", '{"customer_id":"mtls"}', `https://localhost:${meals.running.port}/mealplan.meals.v1.MealsService/ListMeals`],
        unknown,
      );
      expect(refused.exitCode).to.not.equal(0);
      expect(refused.stdout).to.match(/unauthenticated/i);
    });
  });
});
