import { etagOf } from "../../../shared/api/fieldRules.js";
import { Goal, GoalKind, GoalRevision, RevisionAction } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { goalAtRevision } from "../repository/GoalRepository.js";
import type { GoalKindName, GoalRevisionRow, GoalRow, RevisionActionName } from "../repository/goalRows.js";

const KIND_TO_MESSAGE: Record<GoalKindName, GoalKind> = {
  DIET: GoalKind.GOAL_KIND_DIET,
  WORKOUT: GoalKind.GOAL_KIND_WORKOUT,
};

const ACTION_TO_MESSAGE: Record<RevisionActionName, RevisionAction> = {
  CREATE: RevisionAction.REVISION_ACTION_CREATE,
  UPDATE: RevisionAction.REVISION_ACTION_UPDATE,
  DELETE: RevisionAction.REVISION_ACTION_DELETE,
};

/** The stored name of a kind the request named, or undefined for none or an unknown number. */
export function kindName(kind: GoalKind): GoalKindName | undefined {
  return (Object.keys(KIND_TO_MESSAGE) as GoalKindName[]).find((name) => KIND_TO_MESSAGE[name] === kind);
}

export function toGoalMessage(row: GoalRow): Goal {
  return {
    customerId: row.customerId,
    dailyCalories: row.dailyCalories,
    kind: KIND_TO_MESSAGE[row.kind],
    description: row.description,
    version: row.version,
    etag: etagOf(row.version),
    createTime: row.createTime,
    updateTime: row.updateTime,
  };
}

export function toGoalRevisionMessage(row: GoalRevisionRow): GoalRevision {
  return {
    goal: toGoalMessage(goalAtRevision(row)),
    action: ACTION_TO_MESSAGE[row.action],
    revisionTime: row.revisionTime,
  };
}
