import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";

const run = promisify(execFile);
const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));

/** A caller as another team would write it, against nothing but the installed package. */
const CALLER = `
import { createGoalsClient, createMealsClient, GoalKind, MealplanError, type GoalsClient } from "@mealplan/client";

const [goalsAddress, mealsAddress] = process.argv.slice(2);
const goals: GoalsClient = createGoalsClient(goalsAddress, { defaultTimeoutMs: 5000 });
const meals = createMealsClient(mealsAddress);

async function failure(call: Promise<unknown>) {
  try {
    await call;
    return "succeeded";
  } catch (error) {
    if (!(error instanceof MealplanError)) throw error;
    return { code: error.codeName, reason: error.reason, fields: error.fields, currentEtag: error.currentEtag };
  }
}

const goal = { customerId: "packed", dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" };
const created = await goals.createGoal({ customerId: "packed", goal, requestId: "" }, { deadline: Date.now() + 5000 });
const read = await goals.getGoal({ customerId: "packed" }, { deadline: new Date(Date.now() + 5000) });
await goals.updateGoal({ goal: { ...goal, dailyCalories: 1900 }, updateMask: ["daily_calories"] });
const results = {
  created: created.goal?.etag,
  read: read.goal?.dailyCalories,
  stale: await failure(goals.updateGoal({ goal: { ...goal, dailyCalories: 1800, etag: "v1" }, updateMask: ["daily_calories"] })),
  missing: await failure(goals.getGoal({ customerId: "nobody" })),
  invalid: await failure(
    meals.createMeal({
      customerId: "packed",
      meal: { mealId: "0", customerId: "", name: "Soup", calories: -5, rating: 3, cuisine: "", version: "0", etag: "" },
      requestId: "",
    }),
  ),
  summary: (await meals.getDailySummary({ customerId: "packed", date: "", timeZone: "UTC" })).remainingCalories,
};
console.log(JSON.stringify(results));
goals.close();
meals.close();
`;

describe("@mealplan/client: packed, installed and called from a project outside the repository", function () {
  this.timeout(180_000);
  let fixture: MealplanFixture;
  let scratch: string;

  before(async () => {
    fixture = await startMealplanFixture();
    scratch = await mkdtemp(join(tmpdir(), "mealplan-caller-"));
  });
  after(async () => {
    await fixture.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it("installs from its tarball, type-checks a caller, and its calls succeed and fail with typed errors", async () => {
    await run("npm", ["pack", "--workspace", "client", "--pack-destination", scratch], { cwd: REPOSITORY });
    const [tarball] = (await readdir(scratch)).filter((name) => name.endsWith(".tgz"));
    expect(tarball, "npm pack wrote a tarball").to.match(/^mealplan-client-.*\.tgz$/);

    await writeFile(
      join(scratch, "package.json"),
      JSON.stringify({
        name: "caller",
        private: true,
        type: "module",
        dependencies: { "@mealplan/client": `file:./${tarball}` },
      }),
    );
    await writeFile(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, types: ["node"] },
        files: ["caller.ts"],
      }),
    );
    await writeFile(join(scratch, "caller.ts"), CALLER);
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: scratch });
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-save", "@types/node@20"], { cwd: scratch });
    const { stdout: packed } = await run("tar", ["-tzf", join(scratch, tarball)]);
    expect(packed).to.contain("package/proto/mealplan/goals/v1/goals.proto");
    expect(packed).to.contain("package/dist/gen/mealplan/meals/v1/meals.js");

    await run(join(REPOSITORY, "node_modules/.bin/tsc"), ["-p", scratch]);
    const { stdout } = await run("node", [join(scratch, "caller.js"), fixture.address, fixture.mealsAddress], { cwd: scratch });
    expect(JSON.parse(stdout)).to.deep.equal({
      created: "v1",
      read: 2000,
      stale: { code: "ABORTED", reason: "ETAG_MISMATCH", fields: [], currentEtag: "v2" },
      missing: { code: "NOT_FOUND", reason: "GOAL_NOT_FOUND", fields: [] },
      invalid: { code: "INVALID_ARGUMENT", reason: "INVALID_ARGUMENT", fields: ["meal.calories"] },
      summary: 1900,
    });
  });
});
