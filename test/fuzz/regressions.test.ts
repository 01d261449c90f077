import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import type { MealplanFixture } from "../harness/mealplanFixture.js";
import { knownGoodCalls } from "./backgroundProbe.js";
import { MAX_DETAILS_BYTES, MAX_MESSAGE_BYTES } from "./contract.js";
import { GOALS_SERVICE, loadMealplanRegistry, MEALS_SERVICE } from "./descriptors.js";
import type { FuzzWorld } from "./fuzzWorld.js";
import { startFuzzTarget, type FuzzTarget } from "./fuzzTarget.js";
import type { CallOutcome } from "./rawClient.js";

/**
 * What the fuzzer found, each as the concrete request that showed it and the answer the contract wants; the
 * comment above each says what was wrong and where it is fixed.
 */
const registry = loadMealplanRegistry();

function methodOf(path: string) {
  const [, serviceName, methodName] = path.split("/");
  const method = registry.getService(serviceName)?.methods.find((candidate) => candidate.name === methodName);
  if (!method) throw new Error(`no method ${path}`);
  return method;
}

const meals = (name: string) => `/${MEALS_SERVICE}/${name}`;
const goals = (name: string) => `/${GOALS_SERVICE}/${name}`;

/** Seconds of 2026-01-01T23:59:59Z. */
const LAST_SECOND_OF_NEW_YEARS_DAY = BigInt(Date.UTC(2026, 0, 1, 23, 59, 59) / 1000);

describe("fuzz: regressions", function () {
  this.timeout(60_000);
  let fixture: MealplanFixture;
  let world: FuzzWorld;
  let clients: FuzzTarget["clients"];
  let target: FuzzTarget | undefined;

  before(async () => {
    target = await startFuzzTarget();
    ({ fixture, world, clients } = target);
  });

  after(() => target?.stop());

  /** Sends the request built from `init` with the method's descriptor; Timestamps stay seconds and nanos as given. */
  function send(path: string, init: Record<string, unknown>, timeoutMs = 5000): Promise<CallOutcome> {
    const method = methodOf(path);
    const client = path.startsWith(`/${GOALS_SERVICE}/`) ? clients.goals : clients.meals;
    return client.call(path, toBinary(method.input, create(method.input, init as never)), timeoutMs);
  }

  function responseOf(path: string, outcome: CallOutcome): Record<string, unknown> {
    expect(status[outcome.code], outcome.message).to.equal("OK");
    return fromBinary(methodOf(path).output, outcome.response!);
  }

  /** The refusal is INVALID_ARGUMENT with a small status, and a GetMeal sent beside it on the same connection succeeds. */
  async function expectSmallRefusalBesideGoodCall(path: string, init: Record<string, unknown>): Promise<void> {
    const good = knownGoodCalls(world).getMeal;
    const [outcome, beside] = await Promise.all([send(path, init), clients.meals.call(good.path, good.body, 5000)]);
    expect(status[outcome.code]).to.equal("INVALID_ARGUMENT");
    expect(Buffer.byteLength(outcome.message)).to.be.at.most(MAX_MESSAGE_BYTES);
    expect(outcome.detailsBytes).to.be.at.most(MAX_DETAILS_BYTES);
    expect(status[beside.code]).to.equal("OK");
  }

  describe("fixed (services/meals/domain/calendar.ts)", () => {
    it("GetDailySummary of 9999-12-31 answers OK in zones on both sides of UTC, not UNKNOWN", async () => {
      for (const timeZone of ["", "America/Los_Angeles", "Pacific/Kiritimati"]) {
        const summary = responseOf(
          meals("GetDailySummary"),
          await send(meals("GetDailySummary"), { customerId: "fuzz-ann", date: "9999-12-31", timeZone }),
        );
        expect(summary).to.include({ date: "9999-12-31", consumedCalories: 0, mealCount: 0, dailyCalories: 2000 });
      }
    });

    // The day began at 1969-12-31T18:30Z; the goal history was asked for a window the goals service refused as
    // before any revision, and the summary answered UNAVAILABLE. Goals now moves such bounds inside the years a
    // revision can have (services/goals/handlers/withinRevisionTimes.ts).
    it("GetDailySummary of 1970-01-01 in Asia/Kolkata answers by that day's goal (none), not UNAVAILABLE", async () => {
      const outcome = await send(meals("GetDailySummary"), {
        customerId: "fuzz-ann",
        date: "1970-01-01",
        timeZone: "Asia/Kolkata",
      });
      expect(status[outcome.code]).to.equal("FAILED_PRECONDITION");
    });

    it("GetDailySummary of 9999-12-31 without a goal answers FAILED_PRECONDITION", async () => {
      const outcome = await send(meals("GetDailySummary"), { customerId: "fuzz-cat", date: "9999-12-31" });
      expect(status[outcome.code]).to.equal("FAILED_PRECONDITION");
    });
  });

  describe("fixed at the boundary and in the handlers", () => {
    // echoes-input: checkTimeZone quoted the zone whole; 64 KB of trailers dropped the connection, and the GetMeal beside it
    // failed with DEADLINE_EXCEEDED. Every message now quotes input through quoteInput (at most 64 characters).
    it("echoes-input: GetDailySummary with a 64 KB time_zone is INVALID_ARGUMENT, small, and harmless to its neighbours", () =>
      expectSmallRefusalBesideGoodCall(meals("GetDailySummary"), { customerId: "fuzz-ann", timeZone: "x".repeat(64 * 1024) }));

    // echoes-input: getDailySummary quoted the date whole.
    it("echoes-input: GetDailySummary with a 2 KB date has a status message under 1 KB", () =>
      expectSmallRefusalBesideGoodCall(meals("GetDailySummary"), { customerId: "fuzz-ann", date: "9".repeat(2048) }));

    // echoes-input: versionFromEtag (shared/api/fieldRules.ts) quoted the etag whole.
    it("echoes-input: DeleteMeal with a 64 KB etag is INVALID_ARGUMENT, small, and harmless to its neighbours", () =>
      expectSmallRefusalBesideGoodCall(meals("DeleteMeal"), {
        customerId: "fuzz-ann",
        mealId: BigInt(world.mealIds[0]),
        etag: "v".repeat(64 * 1024),
      }));

    // echoes-input: resolveUpdateMask (shared/api/updateMask.ts) listed every unknown path whole; it names the first now.
    it("echoes-input: UpdateGoal with a 1000-emoji update_mask path has a status message under 1 KB", () =>
      expectSmallRefusalBesideGoodCall(goals("UpdateGoal"), {
        goal: { customerId: "fuzz-ann", dailyCalories: 1900 },
        updateMask: { paths: ["😀".repeat(1000)] },
      }));

    // timestamp-rounds-up: ts-proto's fromTimestamp computes seconds * 1000 + nanos / 1e6 in floating point, which rounded
    // 23:59:59.999999999 up to midnight: the meal moved to the next day. The boundary now reads every request Timestamp
    // again, exactly (shared/grpc/requestTimestamps.ts), and truncates to the millisecond.
    it("timestamp-rounds-up: a meal eaten at 2026-01-01T23:59:59.999999999Z stays on January 1st", async () => {
      const eatenTime = { seconds: LAST_SECOND_OF_NEW_YEARS_DAY, nanos: 999_999_999 };
      const created = responseOf(
        meals("CreateMeal"),
        await send(meals("CreateMeal"), {
          customerId: "fuzz-ann",
          meal: { name: "Late snack", calories: 100, rating: 3, eatenTime },
        }),
      );
      const stored = (created.meal as { eatenTime: { seconds: bigint; nanos: number } }).eatenTime;
      expect({ seconds: stored.seconds, nanos: stored.nanos }).to.deep.equal({
        seconds: LAST_SECOND_OF_NEW_YEARS_DAY,
        nanos: 999_000_000,
      });
    });

    // invalid-timestamp-accepted: checkMealFields looked only at the Date ts-proto made. The boundary refuses nanos outside
    // 0..999,999,999 and seconds outside the Timestamp range, naming the field (shared/grpc/requestTimestamps.ts).
    for (const nanos of [-1, 1_000_000_000, 2_000_000_000]) {
      it(`invalid-timestamp-accepted: CreateMeal with eaten_time nanos ${nanos} is INVALID_ARGUMENT`, async () => {
        const outcome = await send(meals("CreateMeal"), {
          customerId: "fuzz-ann",
          meal: { name: "Soup", calories: 100, rating: 3, eatenTime: { seconds: 1_700_000_000n, nanos } },
        });
        expect(status[outcome.code]).to.equal("INVALID_ARGUMENT");
        expect(outcome.message).to.contain("meal.eaten_time");
      });
    }

    // listMeals checked only start_time < end_time. A bound past the Timestamp range was accepted: 10000-01-01 went to
    // the database as '10000-01-01 00:00:00.000', which MariaDB truncates, and the list held every meal instead of none;
    // a bound JavaScript cannot hold became NULL and the list was empty. The boundary refuses Timestamps out of range.
    for (const [description, seconds] of [
      ["10000-01-01T00:00:00Z", 253_402_300_800n],
      ["seconds 2^63-1", 2n ** 63n - 1n],
      ["seconds -2^62", -(2n ** 62n)],
    ] as const) {
      it(`ListMeals with start_time ${description} is INVALID_ARGUMENT naming start_time`, async () => {
        const outcome = await send(meals("ListMeals"), { customerId: "fuzz-ann", startTime: { seconds, nanos: 0 } });
        expect(status[outcome.code]).to.equal("INVALID_ARGUMENT");
        expect(outcome.message).to.contain("start_time");
      });
    }

    // isTokenPosition (services/meals/handlers/listMeals.ts) took any integer as an instant: 1e300 became an Invalid
    // Date, NULL in SQL, and an empty page. It takes only instants a meal can have.
    it("ListMeals with a page token whose position is 1e300 is INVALID_ARGUMENT naming page_token", async () => {
      const pageToken = Buffer.from(JSON.stringify({ p: [1e300, "1"], q: JSON.stringify(["fuzz-ann", null, null]) })).toString(
        "base64url",
      );
      const outcome = await send(meals("ListMeals"), { customerId: "fuzz-ann", pageToken });
      expect(status[outcome.code]).to.equal("INVALID_ARGUMENT");
      expect(outcome.message).to.contain("page_token");
    });

    // customerIdOf logged the customer_id of every call whole, valid or not: one 100 KB id was a 100 KB log line. It
    // logs at most 64 characters now (shared/grpc/interceptors/observeCalls.ts).
    it("a call with a 100 KB customer_id leaves a log line under 1 KB", async () => {
      fixture.mealsLogs.length = 0;
      await send(meals("GetMeal"), { customerId: "x".repeat(100_000), mealId: 1n });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(JSON.stringify(fixture.mealsLogs.at(-1)).length).to.be.below(1024);
    });

    // checkMealFields trimmed only whitespace: a name of NUL or of a zero-width space was accepted and showed as empty.
    // Text fields now refuse control characters, and a required one needs a visible character (shared/api/fieldRules.ts).
    it("CreateMeal with a name of one NUL or one zero-width space is INVALID_ARGUMENT naming meal.name", async () => {
      for (const name of ["\u0000", "\u200B"]) {
        const outcome = await send(meals("CreateMeal"), { customerId: "fuzz-ann", meal: { name, calories: 100, rating: 3 } });
        expect(status[outcome.code]).to.equal("INVALID_ARGUMENT");
      }
    });
  });
});
