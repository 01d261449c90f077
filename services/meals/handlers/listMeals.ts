import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { decodePageToken, encodePageToken, readPageSize } from "../../../shared/api/pagination.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { ListMealsRequest, ListMealsResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealPosition, MealRepository, TimeRange } from "../repository/MealRepository.js";
import { LATEST_EATEN_TIME } from "./checkMealFields.js";
import { toMealMessage } from "./mealMessages.js";

/** A page position as it travels in a token: eaten_time in epoch ms and the meal_id. */
type TokenPosition = [number, string];

const isEatenTime = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= LATEST_EATEN_TIME;

const isTokenPosition = (value: unknown): value is TokenPosition =>
  Array.isArray(value) && value.length === 2 && isEatenTime(value[0]) && /^[1-9]\d{0,18}$/.test(String(value[1]));

/**
 * The range as the database is asked it: every meal was eaten in [1970, LATEST_EATEN_TIME), so a bound
 * outside it changes nothing and is moved inside, where the DATETIME column can compare with it
 * (MariaDB truncates a year past 9999 and misreads one before 1000).
 */
function withinEatenTimes(start: Date | undefined, end: Date | undefined): TimeRange {
  const clamp = (time: Date) => new Date(Math.min(Math.max(time.getTime(), 0), LATEST_EATEN_TIME));
  return { start: start && clamp(start), end: end && clamp(end) };
}

export function listMeals(meals: MealRepository): UnaryHandler<ListMealsRequest, ListMealsResponse> {
  return async ({ customerId, startTime, endTime, pageSize, pageToken }) => {
    const violations = checkCustomerId(customerId);
    if (startTime && endTime && startTime >= endTime) {
      violations.push({ field: "end_time", description: "must be after start_time" });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    const limit = readPageSize(pageSize);
    const query = JSON.stringify([customerId, startTime?.getTime(), endTime?.getTime()]);
    const position = decodePageToken(pageToken, query, isTokenPosition);
    const after: MealPosition | undefined = position && { eatenTime: new Date(position[0]), mealId: position[1] };
    // One row more than the page tells whether another page follows.
    const rows = await meals.listMeals(customerId, withinEatenTimes(startTime, endTime), after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      meals: page.map(toMealMessage),
      nextPageToken:
        rows.length > limit && last ? encodePageToken<TokenPosition>([last.eatenTime.getTime(), last.mealId], query) : "",
    };
  };
}
