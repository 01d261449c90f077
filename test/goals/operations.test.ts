import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { bufCurl } from "../harness/bufCurl.js";
import { failureOf } from "../harness/statusDetails.js";
import { queryRows } from "../harness/testDatabase.js";

describe("goals: operations", () => {
  let fixture: GoalsFixture;
  before(async () => {
    fixture = await startGoalsFixture();
    await fixture.goals.createGoal({
      customerId: "ops",
      goal: {
        customerId: "",
        dailyCalories: 2100,
        kind: GoalKind.GOAL_KIND_WORKOUT,
        description: "get big",
        version: "0",
        etag: "",
      },
      requestId: "",
    });
  });
  after(() => fixture.stop());

  describe("buf curl through server reflection", () => {
    it("lists the goals and health services", async () => {
      const { stdout, exitCode } = await bufCurl(["--list-services", `http://${fixture.address}`]);
      expect(exitCode).to.equal(0);
      expect(stdout.split("\n")).to.include.members(["mealplan.goals.v1.GoalsService", "grpc.health.v1.Health"]);
    });

    it("calls GetGoal with JSON", async () => {
      const { stdout, exitCode } = await bufCurl([
        "-d",
        '{"customer_id":"ops"}',
        `http://${fixture.address}/mealplan.goals.v1.GoalsService/GetGoal`,
      ]);
      expect(exitCode).to.equal(0);
      expect((JSON.parse(stdout) as { goal: unknown }).goal).to.include({
        customerId: "ops",
        dailyCalories: 2100,
        kind: "GOAL_KIND_WORKOUT",
        version: "1",
      });
    });

    it("reports an error status in its exit code", async () => {
      const { stdout, exitCode } = await bufCurl([
        "-d",
        '{"customer_id":"nobody"}',
        `http://${fixture.address}/mealplan.goals.v1.GoalsService/GetGoal`,
      ]);
      expect(exitCode).to.equal(status.NOT_FOUND << 3);
      expect(stdout).to.contain("google.rpc.ErrorInfo");
    });

    it("checks health of the server and of the goals service", async () => {
      for (const service of ["", "mealplan.goals.v1.GoalsService"]) {
        const { stdout, exitCode } = await bufCurl([
          "-d",
          JSON.stringify({ service }),
          `http://${fixture.address}/grpc.health.v1.Health/Check`,
        ]);
        expect(exitCode).to.equal(0);
        expect(JSON.parse(stdout)).to.deep.equal({ status: "SERVING" });
      }
    });
  });

  describe("call log", () => {
    it("writes one JSON line per call with method, status, duration and customer", async () => {
      const before = fixture.logs.length;
      await fixture.goals.getGoal({ customerId: "ops" });
      await failureOf(fixture.goals.getGoal({ customerId: "nobody" }));
      const calls = fixture.logs.slice(before).filter((line) => line.event === "call");
      expect(calls).to.have.length(2);
      expect(calls[0]).to.include({
        level: "info",
        service: "goals",
        method: "/mealplan.goals.v1.GoalsService/GetGoal",
        code: "OK",
        customer_id: "ops",
      });
      expect(calls[1]).to.include({ code: "NOT_FOUND", customer_id: "nobody" });
      expect(calls[0].duration_ms).to.be.a("number");
    });
  });

  describe("an unexpected fault", () => {
    it("answers UNKNOWN without internals, logs the cause, and leaves nothing half-written", async () => {
      await fixture.db.query("RENAME TABLE goal_revisions TO goal_revisions_hidden");
      try {
        const before = fixture.logs.length;
        const failure = await failureOf(
          fixture.goals.createGoal({
            customerId: "half",
            goal: { customerId: "", dailyCalories: 1000, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" },
            requestId: "",
          }),
        );
        expect(failure.code).to.equal(status.UNKNOWN);
        expect(failure.message).to.equal("unexpected server error; it has been logged");
        expect(failure.message).not.to.contain("goal_revisions");
        const logged = fixture.logs.slice(before);
        expect(logged.find((line) => line.event === "call")).to.include({ level: "error", code: "UNKNOWN" });
        const fault = logged.find((line) => line.event === "fault");
        expect(fault).to.include({ level: "error", method: "/mealplan.goals.v1.GoalsService/CreateGoal" });
        expect(String(fault?.error)).to.contain("goal_revisions");
      } finally {
        await fixture.db.query("RENAME TABLE goal_revisions_hidden TO goal_revisions");
      }
      expect(await queryRows(fixture.db, "SELECT * FROM goals WHERE customer_id = 'half'")).to.deep.equal([]);
      // The server is still up.
      expect((await fixture.goals.getGoal({ customerId: "ops" })).goal?.customerId).to.equal("ops");
    });
  });
});
