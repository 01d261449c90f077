import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { decodePageToken, encodePageToken, readPageSize } from "../../../shared/api/pagination.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { ListGoalRevisionsRequest, ListGoalRevisionsResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { goalNotFound } from "../goalErrors.js";
import type { GoalRepository } from "../repository/GoalRepository.js";
import { toGoalRevisionMessage } from "./goalMessages.js";

const isVersion = (value: unknown): value is string => typeof value === "string" && /^[1-9]\d{0,18}$/.test(value);

export function listGoalRevisions(goals: GoalRepository): UnaryHandler<ListGoalRevisionsRequest, ListGoalRevisionsResponse> {
  return async ({ customerId, pageSize, pageToken }) => {
    const violations = checkCustomerId(customerId);
    if (violations.length > 0) throw invalidArgument(violations);
    const limit = readPageSize(pageSize);
    const beforeVersion = decodePageToken(pageToken, customerId, isVersion);
    // One row more than the page tells whether another page follows.
    const rows = await goals.listRevisions(customerId, beforeVersion, limit + 1);
    if (rows.length === 0 && beforeVersion === undefined) throw goalNotFound(customerId);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      revisions: page.map(toGoalRevisionMessage),
      nextPageToken: rows.length > limit && last ? encodePageToken(last.version, customerId) : "",
    };
  };
}
