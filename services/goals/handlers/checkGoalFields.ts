import { checkIntegerRange, checkText } from "../../../shared/api/fieldRules.js";
import type { FieldViolation } from "../../../shared/errors/DomainError.js";
import { GoalKind, type Goal } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import type { GoalFields } from "../repository/GoalRepository.js";
import { kindName } from "./goalMessages.js";

export const UPDATABLE_GOAL_FIELDS = ["daily_calories", "kind", "description"] as const;
export type UpdatableGoalField = (typeof UPDATABLE_GOAL_FIELDS)[number];

export const MAX_DAILY_CALORIES = 50000;
export const MAX_DESCRIPTION_LENGTH = 500;

type FieldCheck = (goal: Goal, prefix: string) => FieldViolation[];

const FIELD_CHECKS: Record<UpdatableGoalField, FieldCheck> = {
  daily_calories: (goal, prefix) => checkIntegerRange(goal.dailyCalories, 1, MAX_DAILY_CALORIES, `${prefix}daily_calories`),
  kind: (goal, prefix) =>
    kindName(goal.kind) ? [] : [{ field: `${prefix}kind`, description: "must be GOAL_KIND_DIET or GOAL_KIND_WORKOUT" }],
  description: (goal, prefix) =>
    checkText(goal.description, { min: 0, max: MAX_DESCRIPTION_LENGTH, multiline: true }, `${prefix}description`),
};

export function checkGoalFields(goal: Goal, fields: readonly UpdatableGoalField[], prefix = "goal."): FieldViolation[] {
  return fields.flatMap((field) => FIELD_CHECKS[field](goal, prefix));
}

/** The values of `fields` in a goal that passed checkGoalFields. */
export function pickGoalFields(goal: Goal, fields: readonly UpdatableGoalField[]): Partial<GoalFields> {
  const picked: Partial<GoalFields> = {};
  for (const field of fields) {
    if (field === "daily_calories") picked.dailyCalories = goal.dailyCalories;
    if (field === "kind") picked.kind = kindName(goal.kind);
    if (field === "description") picked.description = goal.description;
  }
  return picked;
}

export function isGoalFieldPopulated(goal: Goal, field: UpdatableGoalField): boolean {
  if (field === "daily_calories") return goal.dailyCalories !== 0;
  if (field === "kind") return goal.kind !== GoalKind.GOAL_KIND_UNSPECIFIED;
  return goal.description !== "";
}
