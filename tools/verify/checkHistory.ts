import type { CheckResult } from "./CheckResult.js";
import { checkAllowedErrors } from "./checks/checkAllowedErrors.js";
import { checkConsumedCalories } from "./checks/checkConsumedCalories.js";
import { checkDayGoals } from "./checks/checkDayGoals.js";
import { checkGoalVersionCurrent } from "./checks/checkGoalVersionCurrent.js";
import { checkNoLostGoalUpdate } from "./checks/checkNoLostGoalUpdate.js";
import { checkOneInstant } from "./checks/checkOneInstant.js";
import { checkWithinGoal } from "./checks/checkWithinGoal.js";
import type { History } from "./History.js";

/** Every guarantee the history is checked against, in the order the report lists them. */
const CHECKS = [
  checkWithinGoal,
  checkGoalVersionCurrent,
  checkNoLostGoalUpdate,
  checkConsumedCalories,
  checkAllowedErrors,
  checkDayGoals,
  checkOneInstant,
];

/** Judges a recorded history; pure, so a saved or hand-written history checks the same way. */
export function checkHistory(history: History): CheckResult[] {
  return CHECKS.map((check) => check(history));
}

export function violationCount(results: CheckResult[]): number {
  return results.reduce((total, result) => total + result.violations.length, 0);
}
