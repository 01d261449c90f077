import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { decodePageToken, encodePageToken, readPageSize } from "../../../shared/api/pagination.js";
import { invalidArgument, type FieldViolation } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { ListGoalRevisionsRequest, ListGoalRevisionsResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { goalNotFound } from "../goalErrors.js";
import type { GoalRepository } from "../repository/GoalRepository.js";
import type { InForceWindow } from "../repository/goalsInForce.js";
import { withinRevisionTimes } from "./withinRevisionTimes.js";
import { toGoalRevisionMessage } from "./goalMessages.js";

const isVersion = (value: unknown): value is string => typeof value === "string" && /^[1-9]\d{0,18}$/.test(value);

function checkWindow({ start, end }: InForceWindow): FieldViolation[] {
  return start && end && end.getTime() <= start.getTime()
    ? [{ field: "in_force_end_time", description: "must be after in_force_start_time" }]
    : [];
}

/**
 * What a page token is bound to: the customer, and the window when there is one
 * (without one, the customer alone, as tokens issued before windows existed).
 */
function tokenQuery(customerId: string, window: InForceWindow): string {
  if (!window.start && !window.end) return customerId;
  return [customerId, window.start?.getTime() ?? "", window.end?.getTime() ?? ""].join("|");
}

export function listGoalRevisions(goals: GoalRepository): UnaryHandler<ListGoalRevisionsRequest, ListGoalRevisionsResponse> {
  return async ({ customerId, pageSize, pageToken, inForceStartTime, inForceEndTime }) => {
    const window: InForceWindow = { start: inForceStartTime, end: inForceEndTime };
    const violations = [...checkCustomerId(customerId), ...checkWindow(window)];
    if (violations.length > 0) throw invalidArgument(violations);
    const limit = readPageSize(pageSize);
    const query = tokenQuery(customerId, window);
    const beforeVersion = decodePageToken(pageToken, query, isVersion);
    const windowed = window.start !== undefined || window.end !== undefined;
    // One row more than the page tells whether another page follows.
    const rows = windowed
      ? await goals.listRevisionsInForce(
          customerId,
          { start: withinRevisionTimes(window.start), end: withinRevisionTimes(window.end) },
          beforeVersion,
          limit + 1,
        )
      : await goals.listRevisions(customerId, beforeVersion, limit + 1);
    // An empty window is an answer; only a customer who never had a goal is not found.
    if (rows.length === 0 && beforeVersion === undefined && !(windowed && (await goals.everHadGoal(customerId)))) {
      throw goalNotFound(customerId);
    }
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      revisions: page.map(toGoalRevisionMessage),
      nextPageToken: rows.length > limit && last ? encodePageToken(last.version, query) : "",
    };
  };
}
