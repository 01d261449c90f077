import { createConnection } from "mysql2/promise";
import { readMysqlUrl, type MysqlServerAddress } from "../../shared/config/environmentParsers.js";
import { writePastGoalHistory, type PastRevision } from "./pastGoalHistory.js";
import { SeededRandom } from "./SeededRandom.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Past revisions reach back over the longest stats period the workload asks for. */
export const SEEDED_DAYS = 9;
const MIN_REVISIONS = 3;
const MAX_REVISIONS = 9;
/** The last seeded revision is this long before the workload: nothing of the past is written during it. */
const QUIET_BEFORE_RUN_MS = 60_000;

/**
 * A goal's past: created, changed, sometimes deleted and created again, at
 * random instants of the last SEEDED_DAYS days, and deleted at the end, so the
 * workload starts as it always has, with no goal, and its writes and checks 2,
 * 3 and 5 go on as without a past. Oldest first.
 */
function pastRevisions(random: SeededRandom, now: number): PastRevision[] {
  const count = random.integer(MIN_REVISIONS, MAX_REVISIONS);
  const earliest = now - SEEDED_DAYS * DAY_MS;
  const times = Array.from(
    { length: count },
    () => earliest + Math.floor(random.fraction() * (SEEDED_DAYS * DAY_MS - QUIET_BEFORE_RUN_MS)),
  );
  times.sort((a, b) => a - b);
  const revisions: PastRevision[] = [];
  times.forEach((at, index) => {
    const previous = revisions.at(-1)?.action;
    const last = index === count - 1;
    const action = previous === undefined || previous === "DELETE" ? "CREATE" : last || random.chance(0.25) ? "DELETE" : "UPDATE";
    revisions.push({ at: new Date(at), action, dailyCalories: random.integer(1200, 3000) });
  });
  // A history whose last change created the goal is deleted once more just before the run.
  if (revisions.at(-1)!.action !== "DELETE") {
    revisions.push({ at: new Date(now - QUIET_BEFORE_RUN_MS), action: "DELETE" });
  }
  return revisions;
}

/**
 * Gives each customer a goal history in the past, written into the goals
 * database the run started; resolves with how many versions each got.
 */
export async function seedPastGoals(
  goalsDatabase: string,
  customers: string[],
  seed: number,
  server: MysqlServerAddress = readMysqlUrl(process.env),
): Promise<Record<string, number>> {
  const connection = await createConnection({ ...server, database: goalsDatabase, timezone: "Z" });
  const now = Date.now();
  const seeded: Record<string, number> = {};
  try {
    for (const [index, customerId] of customers.entries()) {
      const revisions = pastRevisions(new SeededRandom(SeededRandom.derive(seed, 10_000 + index)), now);
      await writePastGoalHistory(connection, customerId, revisions);
      seeded[customerId] = revisions.length;
    }
  } finally {
    await connection.end();
  }
  return seeded;
}
