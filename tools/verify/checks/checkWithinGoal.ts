import type { CheckResult, Violation } from "../CheckResult.js";
import { concurrentWrites, GOAL_WRITES, MEAL_WRITES } from "../concurrentWrites.js";
import { revisionFinder, type CallRecord, type History, type RevisionFinder } from "../History.js";

type GoalAnswerCall = CallRecord<"GetDailySummary" | "RecommendMeals">;

function problemsOf(call: GoalAnswerCall, findRevision: RevisionFinder): string[] {
  if (call.outcome.status !== "ok") return [];
  const answer = call.outcome.response;
  const problems: string[] = [];
  const revision = findRevision(call.customerId, answer.goalVersion);
  if (revision && revision.dailyCalories !== answer.dailyCalories) {
    problems.push(
      `reports daily_calories ${answer.dailyCalories} for goal version ${answer.goalVersion}, which had ${revision.dailyCalories}`,
    );
  }
  if (answer.remainingCalories !== answer.dailyCalories - answer.consumedCalories) {
    problems.push(
      `remaining_calories ${answer.remainingCalories} is not daily_calories ${answer.dailyCalories} - consumed_calories ${answer.consumedCalories}`,
    );
  }
  if ("recommendations" in answer) {
    // The goal's own value when the history has it: an answer that mixes versions must not pass by quoting the wrong one.
    const daily = revision?.dailyCalories ?? answer.dailyCalories;
    const over = answer.recommendations.find((meal) => answer.consumedCalories + meal.calories > daily);
    if (over) {
      problems.push(
        `recommends "${over.name}" (meal ${over.mealId}, ${over.calories} kcal): consumed ${answer.consumedCalories} + ${over.calories} = ` +
          `${answer.consumedCalories + over.calories} > daily_calories ${daily} of goal version ${answer.goalVersion}`,
      );
    }
  }
  return problems;
}

/**
 * Check 1: a summary or a recommendation is computed under the goal version it
 * reports. Its daily calories are that version's, remaining is daily minus
 * consumed, and no recommended meal takes consumed past the daily calories.
 */
export function checkWithinGoal(history: History): CheckResult {
  const answers = history.calls.filter(
    (call): call is GoalAnswerCall =>
      (call.method === "GetDailySummary" || call.method === "RecommendMeals") && call.outcome.status === "ok",
  );
  const findRevision = revisionFinder(history);
  const violations: Violation[] = answers.flatMap((call) => {
    const problems = problemsOf(call, findRevision);
    return problems.length === 0 ? [] : [{ customerId: call.customerId, explanation: problems.join("; "), calls: [call] }];
  });
  return {
    title: "Over the goal: consumed + meal > daily_calories of the version reported",
    seedCases: [1, 2],
    examined: answers.length,
    concurrent: answers.filter(concurrentWrites(history.calls, [...GOAL_WRITES, ...MEAL_WRITES])).length,
    undecided: 0,
    violations,
  };
}
