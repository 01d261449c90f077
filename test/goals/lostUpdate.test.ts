import { status } from "@grpc/grpc-js";
import { createGoalsClient, GoalKind, MealplanError } from "@mealplan/client";
import { expect } from "chai";
import { createBarrier } from "../harness/barrier.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { queryRows } from "../harness/testDatabase.js";

const CLIENTS = 16;
const START = 2000;
const STEP = 10;

/**
 * The seed's case 3: every client reads the goal, subtracts STEP and writes it
 * back. All first reads happen before any write (a barrier), the worst case.
 * Returns how many writes were refused as stale and had to be redone.
 */
async function subtractConcurrently(fixture: GoalsFixture, customerId: string, withEtag: boolean): Promise<number> {
  const clients = Array.from({ length: CLIENTS }, () => createGoalsClient(fixture.address));
  const allHaveRead = createBarrier(CLIENTS);
  let staleWrites = 0;
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let round = 0; ; round++) {
          const { goal } = await client.getGoal({ customerId });
          if (round === 0) await allHaveRead();
          try {
            await client.updateGoal({
              goal: { ...goal!, dailyCalories: goal!.dailyCalories - STEP, etag: withEtag ? goal!.etag : "" },
              updateMask: ["daily_calories"],
            });
            return;
          } catch (error) {
            if (!(error instanceof MealplanError) || error.code !== status.ABORTED) throw error;
            staleWrites += 1;
          }
        }
      }),
    );
  } finally {
    for (const client of clients) client.close();
  }
  return staleWrites;
}

describe("goals: the lost update (seed case 3)", () => {
  let fixture: GoalsFixture;
  const revisionsOf = (customerId: string) =>
    queryRows<{ version: string; daily_calories: number }>(
      fixture.db,
      "SELECT version, daily_calories FROM goal_revisions WHERE customer_id = ? ORDER BY version",
      [customerId],
    );
  const createGoal = (customerId: string) =>
    fixture.goals.createGoal({
      customerId,
      goal: { customerId, dailyCalories: START, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" },
      requestId: "",
    });

  before(async () => {
    fixture = await startGoalsFixture();
  });
  after(() => fixture.stop());

  it("control: clients that write without the etag lose updates", async () => {
    await createGoal("no-etag");
    const staleWrites = await subtractConcurrently(fixture, "no-etag", false);
    const { goal } = await fixture.goals.getGoal({ customerId: "no-etag" });
    const landed = (START - goal!.dailyCalories) / STEP;
    expect(staleWrites).to.equal(0);
    expect(landed, "subtractions that survived").to.be.lessThan(CLIENTS);
    // Every write was acknowledged and recorded, yet most built on a value another one had replaced.
    expect(await revisionsOf("no-etag")).to.have.length(CLIENTS + 1);
  });

  it("with the etag and a retry on ABORTED, every subtraction lands exactly once", async () => {
    await createGoal("with-etag");
    const staleWrites = await subtractConcurrently(fixture, "with-etag", true);
    const { goal } = await fixture.goals.getGoal({ customerId: "with-etag" });
    expect(staleWrites, "writes refused as stale").to.be.greaterThan(0);
    expect(goal).to.include({ dailyCalories: START - CLIENTS * STEP, version: String(CLIENTS + 1) });

    const revisions = await revisionsOf("with-etag");
    expect(revisions.map((revision) => revision.version)).to.deep.equal(
      Array.from({ length: CLIENTS + 1 }, (_, index) => String(index + 1)),
    );
    expect(revisions.map((revision) => revision.daily_calories)).to.deep.equal(
      Array.from({ length: CLIENTS + 1 }, (_, index) => START - index * STEP),
    );
  });
});
