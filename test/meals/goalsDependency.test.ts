import { createServer, type Server, type Socket } from "node:net";
import { credentials, status, type ServiceError } from "@grpc/grpc-js";
import { toMealplanError } from "@mealplan/client";
import { MealsServiceClient, type GetDailySummaryResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { expect } from "chai";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { logMeal } from "../harness/seed.js";
import { failureOf } from "../harness/statusDetails.js";

/** A TCP port that accepts connections and never answers: a goals service that hangs. */
async function silentServer(): Promise<{ address: string; close(): void }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe("meals: when the goals service is down or slow", () => {
  describe("unreachable", () => {
    let fixture: MealplanFixture;
    // Nothing listens on port 1 of loopback: connections are refused at once. Calls to goals wait for
    // a connection (so the first one after a restart succeeds), at most GOALS_CALL_TIMEOUT_MS.
    before(async () => (fixture = await startMealplanFixture({ GOALS_TARGET: "127.0.0.1:1", GOALS_CALL_TIMEOUT_MS: "300" })));
    after(() => fixture.stop());

    it("answers UNAVAILABLE after GOALS_CALL_TIMEOUT_MS, well within the deadline, saying it is the goals service", async () => {
      const before = fixture.mealsLogs.length;
      const started = Date.now();
      // All are reads the client retries on UNAVAILABLE (four attempts), all within the deadline. A past
      // day and the stats need the goal history, as today needs the current goal.
      for (const call of [
        fixture.meals.getDailySummary({ customerId: "ann", date: "", timeZone: "" }, { deadline: Date.now() + 3000 }),
        fixture.meals.getDailySummary({ customerId: "ann", date: "2026-01-05", timeZone: "" }, { deadline: Date.now() + 3000 }),
        fixture.meals.getCalorieStats({ customerId: "ann", overDays: 7, timeZone: "" }, { deadline: Date.now() + 3000 }),
        fixture.meals.recommendMeals({ customerId: "ann", maxResults: 0, timeZone: "" }, { deadline: Date.now() + 3000 }),
      ]) {
        const failure = await failureOf(call);
        expect(failure.code).to.equal(status.UNAVAILABLE);
        expect(failure.message).to.contain("goals service at 127.0.0.1:1 is unavailable");
        expect(failure.reason).to.equal("GOALS_UNAVAILABLE");
      }
      expect(Date.now() - started).to.be.below(3000);
      const answered = fixture.mealsLogs.slice(before).filter((line) => line.event === "call");
      expect(answered.map((line) => line.code)).to.include("UNAVAILABLE");
      for (const line of answered) expect(Number(line.duration_ms), "each attempt answered").to.be.below(700);
    });

    it("keeps serving what needs no goal", async () => {
      const meal = await logMeal(fixture, "ann", { name: "Omelette", calories: 350 });
      expect((await fixture.meals.getMeal({ customerId: "ann", mealId: meal.mealId })).meal?.name).to.equal("Omelette");
      expect((await fixture.meals.listMeals({ customerId: "ann", pageSize: 0, pageToken: "" })).meals).to.have.length(1);
    });
  });

  describe("hanging", () => {
    let fixture: MealplanFixture;
    let goals: { address: string; close(): void };
    before(async () => {
      goals = await silentServer();
      fixture = await startMealplanFixture({ GOALS_TARGET: goals.address, DEFAULT_DEADLINE_MS: "800" });
    });
    after(async () => {
      await fixture.stop();
      goals.close();
    });

    it("passes the caller's deadline on and reports DEADLINE_EXCEEDED, not CANCELLED", async () => {
      const failure = await failureOf(
        fixture.meals.recommendMeals({ customerId: "ann", maxResults: 0, timeZone: "" }, { deadline: Date.now() + 500 }),
      );
      expect(failure.code).to.equal(status.DEADLINE_EXCEEDED);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const logged = fixture.mealsLogs.filter((line) => line.method === "/mealplan.meals.v1.MealsService/RecommendMeals");
      expect(logged.at(-1)).to.include({ code: "DEADLINE_EXCEEDED" });
      expect(Number(logged.at(-1)?.duration_ms)).to.be.within(400, 1000);
    });

    it("applies its default deadline to calls that came without one", async () => {
      const client = new MealsServiceClient(fixture.mealsAddress, credentials.createInsecure());
      const started = Date.now();
      const error = await new Promise<ServiceError | null>((resolve) =>
        client.getDailySummary(
          { customerId: "ann", date: "", timeZone: "" },
          (failed: ServiceError | null, _: GetDailySummaryResponse) => resolve(failed),
        ),
      );
      client.close();
      const failure = toMealplanError(error!);
      expect(failure.code).to.equal(status.DEADLINE_EXCEEDED);
      expect(failure.reason).to.equal("GOALS_DEADLINE_EXCEEDED");
      expect(Date.now() - started).to.be.within(700, 3000);
    });
  });
});
