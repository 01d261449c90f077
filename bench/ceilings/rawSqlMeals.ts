import { GoalRepository } from "../../services/goals/repository/GoalRepository.js";
import type { GoalSnapshot } from "../../services/meals/goals/GoalsGateway.js";
import { DEFAULT_RECOMMENDATIONS } from "../../services/meals/handlers/recommendMeals.js";
import { MAX_GOAL_ATTEMPTS, StaleReadError, type GoalBoundAnswer } from "../../services/meals/protocol/GoalVersionProtocol.js";
import { MealRepository } from "../../services/meals/repository/MealRepository.js";
import { eatenWithin } from "../../services/meals/repository/mealLogLocks.js";
import { recommendation } from "../../services/meals/repository/recommendWithinGoal.js";
import { dayWindowAt } from "../../services/meals/domain/calendar.js";
import type { Database } from "../../shared/database/Database.js";
import { runTransaction } from "../../shared/database/Transaction.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import type { LoadJob } from "../loadProtocol.js";
import { randomMealFields } from "../seedCatalog.js";
import { ceilingCallScope, closeDatabases, openLoopDatabases, openSharedDatabase } from "./loopConnections.js";

/*
 * The meals service's database work without gRPC: its own repository
 * functions (the same statements, batches and round trips) over the services'
 * Database class, one connection per loop. The goal is read from the goals
 * database by primary key with GetGoal's statement where the service asks the
 * goals service: once the customer's meal log is held, before the answer is
 * computed under it (GoalVersionProtocol).
 */

interface Loop {
  goals: Database;
  meals: Database;
}

/**
 * Connections the loops share for their goal reads: a primary-key read in
 * autocommit, which never waits long for a connection. One per loop would
 * double the ceiling's connections, and with the services' pools the bench
 * then came close to the server's max_connections (151).
 */
const GOAL_READ_CONNECTIONS = 4;

async function readGoal(goals: Database, customerId: string): Promise<GoalSnapshot> {
  const goal = await new GoalRepository(goals).findGoal(customerId);
  if (!goal) throw new Error(`customer ${customerId} has no goal`);
  return { dailyCalories: goal.dailyCalories, version: goal.version };
}

/** underCurrentGoal with the goal read by SQL: hold the customer's inputs, read the goal, compute; start over if a late-locked row moved. */
async function underCurrentGoal<Held>(
  job: LoadJob,
  loop: Loop,
  customerId: string,
  answer: GoalBoundAnswer<Held, unknown>,
): Promise<number> {
  for (let attempt = 1; attempt <= MAX_GOAL_ATTEMPTS; attempt++) {
    try {
      await runTransaction(
        loop.meals,
        async (transaction) => {
          const held = await answer.hold(transaction);
          await answer.compute(transaction, await readGoal(loop.goals, customerId), held);
        },
        ceilingCallScope(job),
      );
      return attempt - 1;
    } catch (error) {
      if (!(error instanceof StaleReadError)) throw error;
    }
  }
  throw new Error(`the meals recommended to ${customerId} kept moving`);
}

async function openLoops(job: LoadJob): Promise<Loop[]> {
  const mealsDatabase = requireTarget(job.targets.mealsDatabase, "meals database");
  const [goals, meals] = await Promise.all([
    openSharedDatabase(job.targets.mysql, job.targets.goalsDatabase, GOAL_READ_CONNECTIONS),
    openLoopDatabases(job, mealsDatabase),
  ]);
  return meals.map((database) => ({ goals, meals: database }));
}

const closeLoops = (loops: Loop[]) => closeDatabases([loops[0].goals, ...loops.map((loop) => loop.meals)]);

export const rawSqlCreateMeal: LoadDriverFactory = async (job) => {
  const databases = await openLoopDatabases(job, requireTarget(job.targets.mealsDatabase, "meals database"));
  const repositories = databases.map((database) => new MealRepository(database));
  return {
    call: async (loop) => {
      const fields = { ...randomMealFields(), eatenTime: new Date() };
      await repositories[loop].createMeal(randomCustomerId(job.catalog), fields, undefined, ceilingCallScope(job));
      return 0;
    },
    close: () => closeDatabases(databases),
  };
};

const today = () => dayWindowAt(new Date(), "UTC");

/** A driver whose every call is one customer's answer computed under the goal, as underCurrentGoal does it. */
function underGoalDriver<Held>(answerFor: (customerId: string) => GoalBoundAnswer<Held, unknown>): LoadDriverFactory {
  return async (job) => {
    const loops = await openLoops(job);
    return {
      call: (index) => {
        const customerId = randomCustomerId(job.catalog);
        return underCurrentGoal(job, loops[index], customerId, answerFor(customerId));
      },
      close: () => closeLoops(loops),
    };
  };
}

export const rawSqlGetDailySummary = underGoalDriver((customerId) => eatenWithin(customerId, today()));

export const rawSqlRecommendMeals = underGoalDriver((customerId) =>
  recommendation({ customerId, today: today(), now: new Date(), maxResults: DEFAULT_RECOMMENDATIONS }),
);
