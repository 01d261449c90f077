import { create, equals, fromBinary, toBinary, type DescMessage, type FileRegistry, type Message } from "@bufbuild/protobuf";
import { status } from "@grpc/grpc-js";
import type { Snapshot } from "./databaseSnapshot.js";
import type { RawClient } from "./rawClient.js";

/**
 * Property (d): an accepted write reads back exactly. The four writes that take values from the caller, each
 * with the fields it writes, the table a fresh write adds a row to (a create that repeats a request_id returns
 * the first call's resource, which need not match this request), and the Get that reads the resource back.
 */
interface WriteShape {
  resourceField: string;
  updatable: readonly string[];
  /** Updates write the fields of their mask; creates write them all. */
  hasMask: boolean;
  freshRowTable: string;
  getPath: string;
  getRequest(resource: Fields): Record<string, unknown>;
}

type Fields = Record<string, unknown>;

const MEAL_FIELDS = ["name", "calories", "rating", "cuisine", "eaten_time"] as const;
const GOAL_FIELDS = ["daily_calories", "kind", "description"] as const;
const getMeal = (meal: Fields) => ({ customerId: meal.customerId, mealId: meal.mealId });
const getGoal = (goal: Fields) => ({ customerId: goal.customerId });

const WRITES: Record<string, WriteShape> = {
  "/mealplan.meals.v1.MealsService/CreateMeal": {
    resourceField: "meal",
    updatable: MEAL_FIELDS,
    hasMask: false,
    freshRowTable: "meals",
    getPath: "/mealplan.meals.v1.MealsService/GetMeal",
    getRequest: getMeal,
  },
  "/mealplan.meals.v1.MealsService/UpdateMeal": {
    resourceField: "meal",
    updatable: MEAL_FIELDS,
    hasMask: true,
    freshRowTable: "meals",
    getPath: "/mealplan.meals.v1.MealsService/GetMeal",
    getRequest: getMeal,
  },
  "/mealplan.goals.v1.GoalsService/CreateGoal": {
    resourceField: "goal",
    updatable: GOAL_FIELDS,
    hasMask: false,
    freshRowTable: "goal_revisions",
    getPath: "/mealplan.goals.v1.GoalsService/GetGoal",
    getRequest: getGoal,
  },
  "/mealplan.goals.v1.GoalsService/UpdateGoal": {
    resourceField: "goal",
    updatable: GOAL_FIELDS,
    hasMask: true,
    freshRowTable: "goal_revisions",
    getPath: "/mealplan.goals.v1.GoalsService/GetGoal",
    getRequest: getGoal,
  },
};

export const isCheckedWrite = (path: string) => path in WRITES;

interface Timestamp {
  seconds: bigint;
  nanos: number;
}

const TIMESTAMP_MIN_SECONDS = -62_135_596_800n;
const TIMESTAMP_MAX_SECONDS = 253_402_300_799n;

const isValidTimestamp = ({ seconds, nanos }: Timestamp) =>
  seconds >= TIMESTAMP_MIN_SECONDS && seconds <= TIMESTAMP_MAX_SECONDS && nanos >= 0 && nanos <= 999_999_999;

/** The services keep milliseconds (DATETIME(3)); a Timestamp's sub-millisecond part is dropped, not rounded. */
const millisecondsOf = ({ seconds, nanos }: Timestamp) => Number(seconds) * 1000 + Math.floor(nanos / 1_000_000);

function writtenFields(shape: WriteShape, request: Fields, resource: Fields, resourceDesc: DescMessage): string[] {
  const populated = shape.updatable.filter((name) => {
    const field = resourceDesc.fields.find((candidate) => candidate.name === name)!;
    const value = resource[field.localName];
    return value !== undefined && value !== "" && value !== 0;
  });
  if (!shape.hasMask) return [...shape.updatable];
  const mask = request.updateMask as { paths: string[] } | undefined;
  if (!mask) return populated;
  if (mask.paths.length === 1 && mask.paths[0] === "*") return [...shape.updatable];
  return [...new Set(mask.paths)];
}

/**
 * Bodies the services' generated (ts-proto) decoders take although they are not valid protobuf: they end a
 * message at a stray END_GROUP tag and ignore what follows, where @bufbuild/protobuf (and grpc-go) refuse it.
 * Counted, not failed: the service sees a well-formed prefix of the body.
 */
export const lenientDecodes = { count: 0 };

function decodeIndependently(desc: DescMessage, body: Uint8Array): Fields | undefined {
  try {
    return fromBinary(desc, body);
  } catch {
    lenientDecodes.count += 1;
    return undefined;
  }
}

export interface ReadBackContext {
  registry: FileRegistry;
  client: RawClient;
  path: string;
  input: DescMessage;
  output: DescMessage;
  body: Uint8Array;
  response: Buffer;
  before: Snapshot;
  after: Snapshot;
  /** When the call was sent and answered, for fields the service sets to "now". */
  sentAt: number;
  answeredAt: number;
}

/** What is wrong with an accepted write, or [] when it wrote exactly what was asked and reads back the same. */
export async function readBackProblems(context: ReadBackContext): Promise<string[]> {
  const shape = WRITES[context.path];
  if (!shape) return [];
  const problems: string[] = [];
  const request = decodeIndependently(context.input, context.body);
  const written = (fromBinary(context.output, context.response) as unknown as Fields)[shape.resourceField] as Message | undefined;
  if (!written) return ["the response carries no resource"];
  const resourceDesc = context.output.fields.find((field) => field.localName === shape.resourceField)!;
  if (resourceDesc.fieldKind !== "message") throw new Error(`${shape.resourceField} is not a message`);
  const desc = resourceDesc.message;
  const asked = (request?.[shape.resourceField] ?? {}) as Fields;
  const writtenFieldsOf = written as unknown as Fields;

  // Compared with what an independent decoder (@bufbuild/protobuf) read in the body; where it refuses a body that
  // the generated decoder took (see lenientDecodes), only the read-back below is checked.
  const fresh =
    request !== undefined &&
    (context.after[shape.freshRowTable].length > context.before[shape.freshRowTable].length || shape.hasMask);
  if (fresh) {
    for (const name of writtenFields(shape, request, asked, desc)) {
      const field = desc.fields.find((candidate) => candidate.name === name);
      if (!field) {
        problems.push(`accepted a mask path "${name.slice(0, 80)}" that names no field`);
        continue;
      }
      const expected = asked[field.localName];
      const actual = writtenFieldsOf[field.localName];
      if (field.fieldKind === "message") {
        const actualMs = millisecondsOf(actual as Timestamp);
        if (expected === undefined) {
          if (actualMs < context.sentAt - 1000 || actualMs > context.answeredAt + 1000)
            problems.push(`${name} defaulted to ${actualMs}, not now`);
        } else if (!isValidTimestamp(expected as Timestamp)) {
          const { seconds, nanos } = expected as Timestamp;
          problems.push(`accepted ${name} {seconds: ${seconds}, nanos: ${nanos}}, not a valid Timestamp, and stored ${actualMs}`);
        } else if (millisecondsOf(expected as Timestamp) !== actualMs) {
          problems.push(`${name}: asked ${millisecondsOf(expected as Timestamp)} ms, wrote ${actualMs} ms`);
        }
      } else if (expected !== actual) {
        problems.push(
          `${name}: asked ${JSON.stringify(String(expected)).slice(0, 100)}, wrote ${JSON.stringify(String(actual)).slice(0, 100)}`,
        );
      }
    }
  }

  const getMethod = context.registry
    .getService(context.path.split("/")[1])!
    .methods.find((m) => `/${m.parent.typeName}/${m.name}` === shape.getPath)!;
  const getBody = toBinary(getMethod.input, create(getMethod.input, shape.getRequest(writtenFieldsOf) as never));
  const read = await context.client.call(shape.getPath, getBody);
  if (read.code !== status.OK || !read.response)
    return [...problems, `${shape.getPath} answered ${status[read.code]} ${read.message.slice(0, 200)}`];
  const readBack = (fromBinary(getMethod.output, read.response) as unknown as Fields)[shape.resourceField] as Message | undefined;
  if (!readBack || !equals(desc, readBack as never, written as never)) {
    problems.push(`${shape.getPath} reads back another ${shape.resourceField} than the write answered`);
  }
  return problems;
}
