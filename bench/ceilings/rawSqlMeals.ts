import { toGoalRow, type StoredGoal } from "../../services/goals/repository/goalRows.js";
import { selectGoal } from "../../services/goals/repository/goalStatements.js";
import { type GoalSnapshot, LastSeenGoals } from "../../services/meals/goals/GoalsGateway.js";
import { DEFAULT_RECOMMENDATIONS } from "../../services/meals/handlers/recommendMeals.js";
import { MAX_GOAL_ATTEMPTS, StaleReadError } from "../../services/meals/protocol/GoalVersionProtocol.js";
import { MealRepository } from "../../services/meals/repository/MealRepository.js";
import { shareLogAndReadEaten } from "../../services/meals/repository/mealLogLocks.js";
import { recommendWithinGoal } from "../../services/meals/repository/recommendWithinGoal.js";
import { daysWindow, localDateOf } from "../../services/meals/domain/calendar.js";
import type { Database } from "../../shared/database/Database.js";
import { runTransaction, type Transaction } from "../../shared/database/Transaction.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import type { LoadJob } from "../loadProtocol.js";
import { randomMealFields } from "../seedCatalog.js";
import { ceilingCallScope, closeDatabases, openLoopDatabases, openSharedDatabase } from "./loopConnections.js";

/*
 * The meals service's database work without gRPC: its own repository
 * functions (the same statements, batches and round trips) over the services'
 * Database class, one connection per loop. The goal is read from the goals
 * database by primary key before COMMIT, with GetGoal's statement, where the
 * service asks the goals service; the answer is computed under the goal last
 * read for the customer, read first only when there is none (LastSeenGoals,
 * as in the service).
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
  const select = selectGoal(customerId);
  const [stored] = await goals.query<StoredGoal[]>(select.sql, select.values);
  if (!stored) throw new Error(`customer ${customerId} has no goal`);
  const { dailyCalories, version } = toGoalRow(stored);
  return { dailyCalories, version };
}

/** underCurrentGoal with the goal read by SQL: compute under the goal last seen, read it before COMMIT, start over if it moved. */
async function underCurrentGoal(
  job: LoadJob,
  loop: Loop,
  lastSeen: LastSeenGoals,
  customerId: string,
  compute: (transaction: Transaction, goal: GoalSnapshot) => Promise<unknown>,
): Promise<number> {
  const readAndRemember = async () => {
    const read = await readGoal(loop.goals, customerId);
    lastSeen.remember(customerId, read);
    return read;
  };
  let goal = lastSeen.get(customerId) ?? (await readAndRemember());
  for (let attempt = 1; attempt <= MAX_GOAL_ATTEMPTS; attempt++) {
    try {
      await runTransaction(
        loop.meals,
        async (transaction) => {
          await compute(transaction, goal);
          const current = await readAndRemember();
          if (current.version !== goal.version) throw new StaleReadError("goal moved", current);
        },
        ceilingCallScope(job),
      );
      return attempt - 1;
    } catch (error) {
      if (!(error instanceof StaleReadError)) throw error;
      goal = error.currentGoal ?? goal;
    }
  }
  throw new Error(`the goal of ${customerId} kept moving`);
}

async function openLoops(job: LoadJob): Promise<Loop[]> {
  const mealsDatabase = requireTarget(job.targets.mealsDatabase, "meals database");
  const [goals, meals] = await Promise.all([
    openSharedDatabase(job, job.targets.goalsDatabase, GOAL_READ_CONNECTIONS),
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

function today() {
  const date = localDateOf(new Date(), "UTC");
  return daysWindow(date, date, "UTC");
}

/** A driver whose every call is one customer's answer computed under the goal, as underCurrentGoal does it. */
function underGoalDriver(
  compute: (transaction: Transaction, customerId: string, goal: GoalSnapshot) => Promise<unknown>,
): LoadDriverFactory {
  return async (job) => {
    const loops = await openLoops(job);
    const lastSeen = new LastSeenGoals();
    return {
      call: (index) => {
        const customerId = randomCustomerId(job.catalog);
        return underCurrentGoal(job, loops[index], lastSeen, customerId, (transaction, goal) =>
          compute(transaction, customerId, goal),
        );
      },
      close: () => closeLoops(loops),
    };
  };
}

export const rawSqlGetDailySummary = underGoalDriver((transaction, customerId) =>
  shareLogAndReadEaten(transaction, customerId, today()),
);

export const rawSqlRecommendMeals = underGoalDriver((transaction, customerId, goal) =>
  recommendWithinGoal(transaction, goal, { customerId, today: today(), now: new Date(), maxResults: DEFAULT_RECOMMENDATIONS }),
);
