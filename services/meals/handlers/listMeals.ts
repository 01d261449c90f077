import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { decodePageToken, encodePageToken, readPageSize } from "../../../shared/api/pagination.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { ListMealsRequest, ListMealsResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealPosition, MealRepository } from "../repository/MealRepository.js";
import { toMealMessage } from "./mealMessages.js";

/** A page position as it travels in a token: eaten_time in epoch ms and the meal_id. */
type TokenPosition = [number, string];

const isTokenPosition = (value: unknown): value is TokenPosition =>
  Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && /^[1-9]\d{0,18}$/.test(String(value[1]));

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
    const rows = await meals.listMeals(customerId, { start: startTime, end: endTime }, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      meals: page.map(toMealMessage),
      nextPageToken:
        rows.length > limit && last ? encodePageToken<TokenPosition>([last.eatenTime.getTime(), last.mealId], query) : "",
    };
  };
}
