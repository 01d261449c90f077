import type { CallRecord, RecommendedMeal } from "./History.js";

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const isRecommendationList = (value: unknown): value is RecommendedMeal[] =>
  Array.isArray(value) && value.every((item) => typeof item === "object" && item !== null && "mealId" in item);

function formatValue(value: unknown): string {
  if (isRecommendationList(value)) {
    return `[${value.map((meal) => `meal ${meal.mealId} "${meal.name}" ${meal.calories} kcal`).join(", ")}]`;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A request or response as the contract names its fields: `daily_calories=1800 goal_version=7`. */
function formatFields(message: object): string {
  const fields = Object.entries(message).filter(([, value]) => value !== undefined);
  return fields.length === 0 ? "{}" : fields.map(([name, value]) => `${snakeCase(name)}=${formatValue(value)}`).join(" ");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** One call spelled out on one line, enough to find it in the services' logs and replay it by hand. */
export function describeCall(call: CallRecord): string {
  const { outcome } = call;
  const answer =
    outcome.status === "ok"
      ? `OK ${formatFields(outcome.response)}`
      : `${outcome.codeName}${outcome.reason ? ` ${outcome.reason}` : ""} "${outcome.message}"`;
  return (
    `#${call.id} ${call.method} customer ${call.customerId} by client ${call.client} via ${call.replica}, ` +
    `${seconds(call.invokedAt)} -> ${seconds(call.completedAt)}: ${formatFields(call.request)} => ${answer}`
  );
}
