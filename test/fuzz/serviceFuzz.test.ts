import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import fc from "fast-check";
import type { MealplanFixture } from "../harness/mealplanFixture.js";
import { knownGoodCalls, startBackgroundProbe } from "./backgroundProbe.js";
import { allowedCodes, decodeAsService, MAX_DETAILS_BYTES, MAX_MESSAGE_BYTES } from "./contract.js";
import { snapshotDatabases, snapshotDifferences } from "./databaseSnapshot.js";
import { GOALS_SERVICE, loadMealplanRegistry, MEALS_SERVICE, methodsOf } from "./descriptors.js";
import { fuzzRequestArbitrary, type FuzzRequest } from "./fuzzRequest.js";
import { fuzzSettings } from "./fuzzSettings.js";
import { startFuzzTarget, type FuzzTarget } from "./fuzzTarget.js";
import { refreshFuzzWorld, worldHints, type FuzzWorld } from "./fuzzWorld.js";
import { isServing } from "./rawClient.js";
import { isCheckedWrite, readBackProblems } from "./readBack.js";

/**
 * Issue 11: one bad request must never hurt another. Every method of both services gets requests generated
 * from the descriptor set (fuzzRequest.ts), sent as raw bytes over one shared connection per service while
 * a background probe reads the sentinel's goal and meal over the same connections. Each request must get a
 * code its method's contract allows, a small status, leave the databases as they were if refused, and write
 * exactly what it asked if accepted; after every batch both services must still be serving.
 * How to run it longer: fuzzSettings.ts.
 */
const registry = loadMealplanRegistry();
const services = [
  { name: GOALS_SERVICE, methods: methodsOf(registry, GOALS_SERVICE) },
  { name: MEALS_SERVICE, methods: methodsOf(registry, MEALS_SERVICE) },
];

const methodByPath = new Map(services.flatMap((service) => service.methods.map(({ path, method }) => [path, method] as const)));

interface MethodFigures {
  sent: number;
  codes: Map<string, number>;
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

describe("fuzz: hostile requests from the descriptors, against both services", function () {
  // Per method: about 60 ms a request on a slow machine, and the time fast-check may spend shrinking a failure.
  const methodBudgetMs = Math.max(60_000, fuzzSettings.runsPerMethod * 60) + fuzzSettings.shrinkLimitMs;
  this.timeout(methodBudgetMs + 30_000);
  let fixture: MealplanFixture;
  let world: FuzzWorld;
  let clients: FuzzTarget["clients"];
  let target: FuzzTarget | undefined;
  let probe: ReturnType<typeof startBackgroundProbe>;
  const figures = new Map<string, MethodFigures>();

  before(async () => {
    target = await startFuzzTarget();
    ({ fixture, world, clients } = target);
    probe = startBackgroundProbe(clients.goals, clients.meals, world);
  });

  after(async () => {
    await probe?.stop();
    await target?.stop();
    printFigures(figures, fuzzSettings);
  });

  async function expectStillServing(): Promise<string[]> {
    const problems: string[] = [];
    for (const [name, client] of Object.entries(clients)) {
      if (!(await isServing(client))) problems.push(`${name} no longer answers its health check SERVING`);
    }
    const calls = knownGoodCalls(world);
    for (const [name, call] of Object.entries(calls)) {
      const client = call.path.includes("Goals") ? clients.goals : clients.meals;
      const outcome = await client.call(call.path, call.body);
      if (outcome.code !== status.OK) problems.push(`known-good ${name} answered ${status[outcome.code]}`);
    }
    return problems;
  }

  /** Every property of one request; an Error naming each one that fails, which fast-check then shrinks. */
  async function checkOne(request: FuzzRequest, tally: MethodFigures): Promise<void> {
    const { path, body } = request;
    // The fixture keeps every log line in memory; tens of thousands of calls with 100 KB customer ids would not fit.
    fixture.logs.length = 0;
    fixture.mealsLogs.length = 0;
    const decoded = decodeAsService(path, body);
    const method = methodByPath.get(path)!;
    const client = path.includes("GoalsService") ? clients.goals : clients.meals;
    const before = await snapshotDatabases(fixture.db, fixture.mealsDb);
    const sentAt = Date.now();
    const outcome = await client.call(path, body);
    const answeredAt = Date.now();
    const after = await snapshotDatabases(fixture.db, fixture.mealsDb);
    tally.sent += 1;
    tally.codes.set(status[outcome.code], (tally.codes.get(status[outcome.code]) ?? 0) + 1);

    const problems: string[] = [];
    const code = status[outcome.code];
    if (decoded === undefined) {
      if (outcome.code !== status.INTERNAL) problems.push(`an undecodable body got ${code}, not INTERNAL`);
    } else if (!allowedCodes(path).includes(outcome.code)) {
      problems.push(`${code} is not a code the contract allows here: ${outcome.message.slice(0, 300)}`);
    }
    if (byteLength(outcome.message) > MAX_MESSAGE_BYTES) problems.push(`a ${byteLength(outcome.message)}-byte status message`);
    if (outcome.detailsBytes > MAX_DETAILS_BYTES) problems.push(`a ${outcome.detailsBytes}-byte grpc-status-details-bin`);
    if (outcome.code !== status.OK) {
      const changes = snapshotDifferences(before, after);
      if (changes.length > 0) problems.push(`refused with ${code} yet changed the database: ${changes.join("; ")}`);
    } else if (isCheckedWrite(path) && outcome.response) {
      problems.push(
        ...(await readBackProblems({
          registry,
          client,
          path,
          input: method.input,
          output: method.output,
          body,
          response: outcome.response,
          before,
          after,
          sentAt,
          answeredAt,
        })),
      );
    }
    if (tally.sent % fuzzSettings.batchSize === 0) problems.push(...(await expectStillServing()));
    if (problems.length > 0) throw new Error(problems.join("\n"));
  }

  for (const service of services) {
    describe(service.name, () => {
      for (const fuzzed of service.methods) {
        it(`${fuzzed.method.name}: allowed codes, small statuses, refusals change nothing, writes read back`, async () => {
          const tally: MethodFigures = { sent: 0, codes: new Map() };
          figures.set(fuzzed.path, tally);
          world = await refreshFuzzWorld(fixture, world);
          await fc.assert(
            fc.asyncProperty(fuzzRequestArbitrary(fuzzed, worldHints(world)), (request) => checkOne(request, tally)),
            {
              seed: fuzzSettings.seed,
              path: fuzzSettings.path,
              numRuns: fuzzSettings.runsPerMethod,
              endOnFailure: fuzzSettings.endOnFailure,
              // Shrinking replays hundreds of calls; past the budget, the smallest case found so far is reported.
              interruptAfterTimeLimit: methodBudgetMs,
              markInterruptAsFailure: false,
            },
          );
          expect(await expectStillServing()).to.deep.equal([]);
        });
      }
    });
  }

  // A suite of its own: mocha runs a suite's tests before its child suites, and this one must come last.
  describe("meanwhile", () => {
    it("kept every concurrent well-formed GetGoal and GetMeal succeeding on the shared connections", async () => {
      const tally = await probe.stop();
      expect(tally.calls).to.be.greaterThan(0);
      expect(tally.failures.slice(0, 10)).to.deep.equal([]);
    });
  });
});

function printFigures(figures: Map<string, MethodFigures>, settings: typeof fuzzSettings): void {
  const lines = [`fuzz figures (seed ${settings.seed}, ${settings.runsPerMethod} runs per method):`];
  for (const [path, tally] of figures) {
    const codes = [...tally.codes].map(([code, count]) => `${code} ${count}`).join(", ");
    lines.push(`  ${path.split("/")[2].padEnd(18)} sent ${String(tally.sent).padStart(6)}: ${codes}`);
  }
  if (process.env.FUZZ_QUIET !== "1") console.log(lines.join("\n"));
}
