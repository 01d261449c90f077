import { checkHistory } from "./checkHistory.js";
import { collectFinalGoals } from "./collectFinalGoals.js";
import { connectReplicas } from "./connectReplicas.js";
import type { ReportInput } from "./formatReport.js";
import { HistoryRecorder } from "./HistoryRecorder.js";
import { runWorkload, type WorkloadProgress } from "./runWorkload.js";
import { seedPastGoals } from "./seedPastGoals.js";
import { startReplicas, type Deployment } from "./startReplicas.js";
import type { VerifySettings } from "./VerifySettings.js";
import { WorkloadKnowledge } from "./WorkloadKnowledge.js";

export type VerificationRun = ReportInput;

/** Customers no earlier run used, so the history covers everything that ever happened to them. */
function customerIds(count: number, seed: number): string[] {
  const runTag = `${Date.now().toString(36)}-${seed.toString(36)}`;
  return Array.from({ length: count }, (_, index) => `verify-${runTag}-c${index + 1}`);
}

function givenDeployment({ goalsAddresses, mealsAddresses }: VerifySettings): Deployment | undefined {
  if (!goalsAddresses || !mealsAddresses) return undefined;
  return { goalsAddresses, mealsAddresses, loggedErrors: () => [], stop: () => Promise.resolve() };
}

/**
 * Starts two replicas of each service (or uses the deployment the settings
 * name), gives the customers a goal history in the past when it started them, runs the workload, reads every customer's final goal and checks the
 * history. Whatever it started it stops, also when something fails.
 */
export async function runVerification(
  settings: VerifySettings,
  onProgress?: (progress: WorkloadProgress) => void,
): Promise<VerificationRun> {
  const deployment = givenDeployment(settings) ?? (await startReplicas());
  const replicas = connectReplicas(deployment.goalsAddresses, deployment.mealsAddresses);
  try {
    const customers = customerIds(settings.customers, settings.seed);
    // Past days are judged by past goals: a run that owns the goals database gives its customers a past.
    const seededVersions = deployment.goalsDatabase
      ? await seedPastGoals(deployment.goalsDatabase, customers, settings.seed)
      : {};
    const recorder = new HistoryRecorder();
    const context = {
      replicas,
      recorder,
      knowledge: new WorkloadKnowledge(),
      customers,
      hotCustomers: settings.hotCustomers,
      callDeadlineMs: settings.callDeadlineMs,
    };
    const workloadMs = await runWorkload({
      context,
      durationMs: settings.durationMs,
      clients: settings.clients,
      seed: settings.seed,
      onProgress,
    });
    const finalGoals = await collectFinalGoals(replicas.goals[0], customers, settings.callDeadlineMs);
    const history = recorder.history(customers, finalGoals, seededVersions);
    return {
      settings,
      goalsAddresses: deployment.goalsAddresses,
      mealsAddresses: deployment.mealsAddresses,
      workloadMs,
      history,
      results: checkHistory(history),
      loggedErrors: deployment.loggedErrors(),
    };
  } finally {
    replicas.close();
    await deployment.stop();
  }
}
