import type { Connection, RowDataPacket } from "mysql2/promise";
import { isSameMeal, type Candidate, type CandidateMeal } from "../../services/meals/domain/Candidate.js";
import { rankCandidates } from "../../services/meals/domain/rankCandidates.js";
import { LastSeenGoals } from "../../services/meals/goals/LastSeenGoals.js";
import { DEFAULT_RECOMMENDATIONS } from "../../services/meals/handlers/recommendMeals.js";
import { MAX_GOAL_ATTEMPTS } from "../../services/meals/protocol/GoalVersionProtocol.js";
import { OWN_MEAL_MIN_AGE_MS } from "../../services/meals/repository/recommendWithinGoal.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import { randomMealFields } from "../seedCatalog.js";
import { closeConnections, openLoopConnections } from "./loopConnections.js";
import { sqlTransaction } from "./sqlTransaction.js";

/*
 * The meals service's statements without gRPC or TypeORM, mirrored from
 * services/meals/repository (keep in step with it): the meal log lock, the
 * day's sum, the ranking scan in growing batches per rating, the share lock on
 * the picked meals. The goal is read from the goals database by primary key
 * before COMMIT, as the service reads it through the goals service, and the
 * answer computed under the goal last read for the customer, read first only
 * when there is none (LastSeenGoals, as in the service).
 */
// GetGoal's read, as the goals service runs it for the meals service.
const SELECT_GOAL =
  "SELECT customer_id, daily_calories, kind, description, version, create_time, update_time, delete_time FROM goals WHERE customer_id = ?";
const LOCK_LOG_FOR_WRITE =
  "INSERT INTO meal_logs (customer_id, log_version) VALUES (?, 1) ON DUPLICATE KEY UPDATE log_version = log_version + 1";
const INSERT_MEAL =
  "INSERT INTO meals (customer_id, name, calories, rating, cuisine, eaten_time, version, create_time, update_time, request_id) " +
  "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, NULL)";
// LOCK IN SHARE MODE rather than FOR SHARE: MariaDB and MySQL both accept it.
const SHARE_LOG = "SELECT customer_id, log_version FROM meal_logs WHERE customer_id = ? LOCK IN SHARE MODE";
const CREATE_LOG = "INSERT IGNORE INTO meal_logs (customer_id, log_version) VALUES (?, 0)";
const SUM_EATEN =
  "SELECT COALESCE(SUM(calories), 0) AS consumed, COUNT(*) AS meals FROM meals WHERE customer_id = ? AND eaten_time >= ? AND eaten_time < ?";
/** CANDIDATE_COLUMNS of pickCandidates.ts. */
const MEAL_COLUMNS = "meal_id AS mealId, customer_id AS customerId, name, calories, rating, cuisine, eaten_time AS eatenTime";
const OWN_CANDIDATES =
  `SELECT ${MEAL_COLUMNS} FROM meals WHERE customer_id = ? AND eaten_time < ? AND calories <= ? ` +
  "ORDER BY rating DESC, calories DESC, meal_id DESC LIMIT 500";
const OTHERS_AT_RATING = `SELECT ${MEAL_COLUMNS} FROM meals FORCE INDEX (meals_rating_calories) WHERE rating = ? AND calories <= ? AND customer_id <> ?`;
const OTHERS_AFTER = " AND (calories < ? OR (calories = ? AND meal_id < ?))";
const MAX_RESULTS = DEFAULT_RECOMMENDATIONS;

interface Goal {
  dailyCalories: number;
  version: string;
}

interface Loop {
  goals: Connection;
  meals: Connection;
}

async function readGoal(goals: Connection, customerId: string): Promise<Goal> {
  const [[row]] = await goals.execute<RowDataPacket[]>(SELECT_GOAL, [customerId]);
  const stored = row as { daily_calories: number; version: string | number } | undefined;
  if (!stored) throw new Error(`customer ${customerId} has no goal`);
  return { dailyCalories: stored.daily_calories, version: String(stored.version) };
}

function todayInUtc(now: Date): [Date, Date] {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return [new Date(start), new Date(start + 24 * 60 * 60 * 1000)];
}

async function shareLogAndSumToday(
  meals: Connection,
  customerId: string,
  now: Date,
): Promise<{ consumed: number; count: number }> {
  const [logs] = await meals.execute<RowDataPacket[]>(SHARE_LOG, [customerId]);
  if (logs.length === 0) await meals.execute(CREATE_LOG, [customerId]);
  const [[sum]] = await meals.execute<RowDataPacket[]>(SUM_EATEN, [customerId, ...todayInUtc(now)]);
  return { consumed: Number(sum.consumed), count: Number(sum.meals) };
}

/** pickCandidates.ts with the same statements, ranked by the service's own rankCandidates. */
async function pickCandidates(meals: Connection, customerId: string, remaining: number, now: Date): Promise<Candidate[]> {
  if (remaining <= 0) return [];
  const ownBefore = new Date(now.getTime() - OWN_MEAL_MIN_AGE_MS);
  const [own] = await meals.execute<RowDataPacket[]>(OWN_CANDIDATES, [customerId, ownBefore, remaining]);
  const othersAtRating = async (rating: number, after: Candidate | undefined, limit: number) => {
    const order = ` ORDER BY calories DESC, meal_id DESC LIMIT ${limit}`;
    const [rows] = after
      ? await meals.execute<RowDataPacket[]>(OTHERS_AT_RATING + OTHERS_AFTER + order, [
          rating,
          remaining,
          customerId,
          after.calories,
          after.calories,
          after.mealId,
        ])
      : await meals.execute<RowDataPacket[]>(OTHERS_AT_RATING + order, [rating, remaining, customerId]);
    return rows as CandidateMeal[];
  };
  return rankCandidates(own as CandidateMeal[], othersAtRating, MAX_RESULTS);
}

/** False when a picked meal changed between the snapshot read and the share lock. */
async function lockPicked(meals: Connection, picks: Candidate[]): Promise<boolean> {
  if (picks.length === 0) return true;
  const [rows] = await meals.execute<RowDataPacket[]>(
    `SELECT ${MEAL_COLUMNS} FROM meals WHERE meal_id IN (${picks.map(() => "?").join(", ")}) LOCK IN SHARE MODE`,
    picks.map((pick) => pick.mealId),
  );
  const locked = new Map((rows as CandidateMeal[]).map((row) => [row.mealId, row]));
  return picks.every((pick) => isSameMeal(pick, locked.get(pick.mealId)));
}

/** underCurrentGoal: compute under the goal last seen, read it before COMMIT, start over if it moved. */
async function underCurrentGoal(
  loop: Loop,
  lastSeen: LastSeenGoals,
  customerId: string,
  compute: (goal: Goal) => Promise<boolean>,
): Promise<number> {
  const readAndRemember = async () => {
    const read = await readGoal(loop.goals, customerId);
    lastSeen.remember(customerId, read);
    return read;
  };
  let goal = lastSeen.get(customerId) ?? (await readAndRemember());
  for (let attempt = 1; attempt <= MAX_GOAL_ATTEMPTS; attempt++) {
    let moved: Goal | undefined;
    const committed = await sqlTransaction(loop.meals, async () => {
      if (!(await compute(goal))) return false;
      const current = await readAndRemember();
      if (current.version === goal.version) return true;
      moved = current;
      return false;
    });
    if (committed) return attempt - 1;
    goal = moved ?? goal;
  }
  throw new Error(`the goal of ${customerId} kept moving`);
}

async function openLoops(job: Parameters<LoadDriverFactory>[0]): Promise<Loop[]> {
  const mealsDatabase = requireTarget(job.targets.mealsDatabase, "meals database");
  const [goals, meals] = await Promise.all([
    openLoopConnections(job, job.targets.goalsDatabase),
    openLoopConnections(job, mealsDatabase),
  ]);
  return goals.map((connection, index) => ({ goals: connection, meals: meals[index] }));
}

const closeLoops = (loops: Loop[]) => closeConnections(loops.flatMap((loop) => [loop.goals, loop.meals]));

export const rawSqlCreateMeal: LoadDriverFactory = async (job) => {
  const connections = await openLoopConnections(job, requireTarget(job.targets.mealsDatabase, "meals database"));
  return {
    call: async (loop) => {
      const connection = connections[loop];
      const customerId = randomCustomerId(job.catalog);
      const { name, calories, rating, cuisine } = randomMealFields();
      const now = new Date();
      await sqlTransaction(connection, async () => {
        await connection.execute(LOCK_LOG_FOR_WRITE, [customerId]);
        await connection.execute(INSERT_MEAL, [customerId, name, calories, rating, cuisine, now, now, now]);
        return true;
      });
      return 0;
    },
    close: () => closeConnections(connections),
  };
};

/** A driver whose every call is one customer's answer computed under the goal, as underCurrentGoal does it. */
function underGoalDriver(
  compute: (meals: Connection, customerId: string, now: Date, goal: Goal) => Promise<boolean>,
): LoadDriverFactory {
  return async (job) => {
    const loops = await openLoops(job);
    const lastSeen = new LastSeenGoals();
    return {
      call: async (index) => {
        const loop = loops[index];
        const customerId = randomCustomerId(job.catalog);
        const now = new Date();
        return underCurrentGoal(loop, lastSeen, customerId, (goal) => compute(loop.meals, customerId, now, goal));
      },
      close: () => closeLoops(loops),
    };
  };
}

export const rawSqlGetDailySummary = underGoalDriver(async (meals, customerId, now) => {
  await shareLogAndSumToday(meals, customerId, now);
  return true;
});

export const rawSqlRecommendMeals = underGoalDriver(async (meals, customerId, now, goal) => {
  const { consumed } = await shareLogAndSumToday(meals, customerId, now);
  const picks = await pickCandidates(meals, customerId, goal.dailyCalories - consumed, now);
  return lockPicked(meals, picks);
});
