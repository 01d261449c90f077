import { create, ScalarType, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { knownGoodCalls } from "./backgroundProbe.js";
import { allowedCodes, MAX_DETAILS_BYTES, MAX_MESSAGE_BYTES } from "./contract.js";
import { GOALS_SERVICE, loadMealplanRegistry, MEALS_SERVICE, methodsOf, type FuzzedMethod } from "./descriptors.js";
import type { FuzzWorld } from "./fuzzWorld.js";
import { startFuzzTarget, type FuzzTarget } from "./fuzzTarget.js";
import type { CallOutcome } from "./rawClient.js";

/**
 * A 1 MB value in every string field of every method, one request per field, in a request that is otherwise
 * accepted (checked first, per method), each sent beside well-formed calls on the same connection: the answer must be INVALID_ARGUMENT (a code the contract allows where it
 * ignores the field), with a small status, and the calls beside it must not notice.
 * Error messages quote a value through quoteInput, at most 64 characters: a quoted megabyte of trailers
 * once dropped the connection and every call on it.
 */
const HUGE = "x".repeat(1024 * 1024);

/** Output-only fields inside a create, which AIP-203 has the service ignore: any code the method allows. */
const IGNORED_ON_INPUT = new Set([
  "/mealplan.goals.v1.GoalsService/CreateGoal goal.customer_id",
  "/mealplan.goals.v1.GoalsService/CreateGoal goal.etag",
  "/mealplan.meals.v1.MealsService/CreateMeal meal.customer_id",
  "/mealplan.meals.v1.MealsService/CreateMeal meal.etag",
]);

const TIMESTAMP = "google.protobuf.Timestamp";

/** Every string field reachable from a request type, as a dotted proto path; a repeated one ends in its name too. */
function stringFieldPaths(desc: DescMessage, prefix = ""): string[] {
  return desc.fields.flatMap((field) => {
    const path = `${prefix}${field.name}`;
    if (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING) return [path];
    if (field.fieldKind === "list" && field.listKind === "scalar" && field.scalar === ScalarType.STRING) return [path];
    if (field.fieldKind === "message" && field.message.typeName !== TIMESTAMP) return stringFieldPaths(field.message, `${path}.`);
    return [];
  });
}

/** A request that would be accepted, by field name, so that the one huge value is the only thing wrong with it. */
function baselineInit(desc: DescMessage, world: FuzzWorld): Record<string, unknown> {
  const byName: Record<string, unknown> = {
    customer_id: "fuzz-ann",
    meal_id: BigInt(world.mealIds[0]),
    name: "Soup",
    calories: 500,
    rating: 3,
    daily_calories: 2000,
    kind: 1,
    over_days: 7,
    max_results: 3,
    page_size: 10,
  };
  const init: Record<string, unknown> = {};
  for (const field of desc.fields) {
    if (field.name in byName) init[field.localName] = byName[field.name];
    else if (field.fieldKind === "message" && field.message.typeName !== TIMESTAMP) {
      // Only a message with something in it: an empty update_mask would name no field and be refused on its own.
      const nested = baselineInit(field.message, world);
      if (Object.keys(nested).length > 0) init[field.localName] = nested;
    }
  }
  return init;
}

/** The baseline with `path` (dotted proto names) set to the huge value. */
function requestWithHugeValue(desc: DescMessage, world: FuzzWorld, path: string): Uint8Array {
  const init = baselineInit(desc, world);
  let target = init;
  let message = desc;
  const names = path.split(".");
  for (const name of names.slice(0, -1)) {
    const field = message.fields.find((candidate) => candidate.name === name)!;
    if (field.fieldKind !== "message") throw new Error(`${path}: ${name} is not a message`);
    target = (target[field.localName] ??= {}) as Record<string, unknown>;
    message = field.message;
  }
  const leaf = message.fields.find((candidate) => candidate.name === names.at(-1))!;
  target[leaf.localName] = leaf.fieldKind === "list" ? [HUGE] : HUGE;
  return toBinary(desc, create(desc, init as never));
}

const registry = loadMealplanRegistry();
const methods: FuzzedMethod[] = [...methodsOf(registry, GOALS_SERVICE), ...methodsOf(registry, MEALS_SERVICE)];

describe("fuzz: a 1 MB value in every string field of every method", function () {
  this.timeout(60_000);
  let world: FuzzWorld;
  let clients: FuzzTarget["clients"];
  let target: FuzzTarget | undefined;

  before(async () => {
    target = await startFuzzTarget();
    ({ world, clients } = target);
  });

  after(() => target?.stop());

  async function knownGoodOutcomes(): Promise<CallOutcome[]> {
    const calls = knownGoodCalls(world);
    return Promise.all([
      clients.goals.call(calls.getGoal.path, calls.getGoal.body, 5000),
      clients.meals.call(calls.getMeal.path, calls.getMeal.body, 5000),
    ]);
  }

  for (const { path: methodPath, method } of methods) {
    it(`${method.name}: the baseline request, without a huge value, is not refused`, async () => {
      const client = methodPath.includes("GoalsService") ? clients.goals : clients.meals;
      const outcome = await client.call(
        methodPath,
        toBinary(method.input, create(method.input, baselineInit(method.input, world) as never)),
      );
      expect(status[outcome.code], outcome.message).to.not.equal("INVALID_ARGUMENT");
    });

    for (const fieldPath of stringFieldPaths(method.input)) {
      const ignored = IGNORED_ON_INPUT.has(`${methodPath} ${fieldPath}`);
      const expected = ignored ? "a code the contract allows" : "INVALID_ARGUMENT";
      const title = `${method.name} ${fieldPath}: ${expected}, a small status, calls beside it unaffected`;
      it(title, async () => {
        const body = requestWithHugeValue(method.input, world, fieldPath);
        const client = methodPath.includes("GoalsService") ? clients.goals : clients.meals;
        // Sent in the same tick as the huge request, so they share the connection while it is in flight.
        const [outcome, beside] = await Promise.all([client.call(methodPath, body, 5000), knownGoodOutcomes()]);
        const after = await knownGoodOutcomes();
        if (ignored) expect(allowedCodes(methodPath).map((code) => status[code])).to.include(status[outcome.code]);
        else expect(status[outcome.code]).to.equal("INVALID_ARGUMENT");
        expect(Buffer.byteLength(outcome.message), "status message bytes").to.be.at.most(MAX_MESSAGE_BYTES);
        expect(outcome.detailsBytes, "grpc-status-details-bin bytes").to.be.at.most(MAX_DETAILS_BYTES);
        expect([...beside, ...after].map((call) => status[call.code])).to.deep.equal(["OK", "OK", "OK", "OK"]);
      });
    }
  }
});
