import { status } from "@grpc/grpc-js";
import { GoalsServiceService } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { RefusedRequest, UndecodableRequest, withTolerantDeserializers } from "../../shared/grpc/tolerantDeserializers.js";
import { MealsServiceService } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";

/**
 * The codes each method may answer with a healthy database and goals service (README, "Errors"): INVALID_ARGUMENT
 * everywhere, NOT_FOUND where a goal or meal is named, ALREADY_EXISTS for a second goal, ABORTED for a stale
 * etag, contention, or a goal that kept changing, FAILED_PRECONDITION without a goal. Never UNKNOWN, and
 * INTERNAL only for a body the service cannot decode (answered before any handler runs, as gRPC servers do).
 */
const { OK, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION } = status;

const ALLOWED_CODES: Record<string, readonly status[]> = {
  "/mealplan.goals.v1.GoalsService/CreateGoal": [OK, INVALID_ARGUMENT, ALREADY_EXISTS, ABORTED],
  "/mealplan.goals.v1.GoalsService/GetGoal": [OK, INVALID_ARGUMENT, NOT_FOUND],
  "/mealplan.goals.v1.GoalsService/UpdateGoal": [OK, INVALID_ARGUMENT, NOT_FOUND, ABORTED],
  "/mealplan.goals.v1.GoalsService/DeleteGoal": [OK, INVALID_ARGUMENT, NOT_FOUND, ABORTED],
  "/mealplan.goals.v1.GoalsService/ListGoalRevisions": [OK, INVALID_ARGUMENT, NOT_FOUND],
  "/mealplan.meals.v1.MealsService/CreateMeal": [OK, INVALID_ARGUMENT, ABORTED],
  "/mealplan.meals.v1.MealsService/GetMeal": [OK, INVALID_ARGUMENT, NOT_FOUND],
  "/mealplan.meals.v1.MealsService/UpdateMeal": [OK, INVALID_ARGUMENT, NOT_FOUND, ABORTED],
  "/mealplan.meals.v1.MealsService/DeleteMeal": [OK, INVALID_ARGUMENT, NOT_FOUND, ABORTED],
  "/mealplan.meals.v1.MealsService/ListMeals": [OK, INVALID_ARGUMENT],
  "/mealplan.meals.v1.MealsService/GetDailySummary": [OK, INVALID_ARGUMENT, FAILED_PRECONDITION, ABORTED],
  "/mealplan.meals.v1.MealsService/GetCalorieStats": [OK, INVALID_ARGUMENT, FAILED_PRECONDITION],
  "/mealplan.meals.v1.MealsService/RecommendMeals": [OK, INVALID_ARGUMENT, FAILED_PRECONDITION, ABORTED],
};

/** A method the descriptors declare but this table does not must fail loudly: its contract needs writing down. */
export function allowedCodes(path: string): readonly status[] {
  const codes = ALLOWED_CODES[path];
  if (!codes) throw new Error(`no contract for ${path}: add its allowed codes to test/fuzz/contract.ts`);
  return codes;
}

/** A status message a developer reads; anything larger is an echo of input or a leak. */
export const MAX_MESSAGE_BYTES = 1024;
/** google.rpc.Status with an ErrorInfo and a BadRequest naming a few fields fits with room to spare. */
export const MAX_DETAILS_BYTES = 4096;

type Deserializers = Record<
  string,
  { path: string; requestDeserialize(bytes: Buffer): unknown; responseDeserialize(bytes: Buffer): unknown }
>;

/** The services' own decoding: ts-proto's decoders, and the exact second reading of requests that hold a Timestamp. */
const DEFINITIONS = new Map(
  [withTolerantDeserializers(GoalsServiceService), withTolerantDeserializers(MealsServiceService)].flatMap(
    (service: Deserializers) => Object.values(service).map((definition) => [definition.path, definition] as const),
  ),
);

function definitionOf(path: string) {
  const definition = DEFINITIONS.get(path);
  if (!definition) throw new Error(`no generated definition for ${path}`);
  return definition;
}

/** The request as the service itself decodes it (the same deserializers), or undefined when it cannot. */
export function decodeAsService(path: string, body: Uint8Array): unknown {
  const decoded = definitionOf(path).requestDeserialize(Buffer.from(body));
  return decoded instanceof RefusedRequest && decoded.reason instanceof UndecodableRequest ? undefined : decoded;
}

export function decodeResponse<Response>(path: string, body: Buffer): Response {
  return definitionOf(path).responseDeserialize(body) as Response;
}
