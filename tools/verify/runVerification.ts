import { startCluster, type GaleraCluster } from "../cluster/GaleraCluster.js";
import { readConflictCounters, type ConflictCounters } from "../cluster/wsrepStatus.js";
import { checkHistory } from "./checkHistory.js";
import { collectFinalGoals } from "./collectFinalGoals.js";
import { connectReplicas } from "./connectReplicas.js";
import { faultFigures, type FaultFigures, type ReplicaNodeChanges } from "./faultFigures.js";
import type { ReportInput } from "./formatReport.js";
import { HistoryRecorder } from "./HistoryRecorder.js";
import { injectFaults } from "./injectFaults.js";
import { runWorkload, type WorkloadProgress } from "./runWorkload.js";
import { seedPastGoals } from "./seedPastGoals.js";
import { startReplicas, type Deployment } from "./startReplicas.js";
import type { VerifySettings } from "./VerifySettings.js";
import { WorkloadKnowledge } from "./WorkloadKnowledge.js";

export type VerificationRun = ReportInput & {
  /** With --faults: what each fault cost. */
  faults?: FaultFigures[];
  /** On a cluster: each replica's moves between database nodes. */
  nodeChanges?: ReplicaNodeChanges[];
  /** On a cluster: per node, the transactions Galera rolled back for conflicts with other nodes (all retried). */
  conflicts?: ({ node: number } & ConflictCounters)[];
};

export interface VerificationOptions {
  /** A running cluster to use for settings.cluster instead of starting one (tests share one across runs). */
  cluster?: GaleraCluster;
}

/** Customers no earlier run used, so the history covers everything that ever happened to them. */
function customerIds(count: number, seed: number): string[] {
  const runTag = `${Date.now().toString(36)}-${seed.toString(36)}`;
  return Array.from({ length: count }, (_, index) => `verify-${runTag}-c${index + 1}`);
}

function givenDeployment({ goalsAddresses, mealsAddresses }: VerifySettings): Deployment | undefined {
  if (!goalsAddresses || !mealsAddresses) return undefined;
  return { goalsAddresses, mealsAddresses, replicas: [], loggedErrors: () => [], stop: () => Promise.resolve() };
}

/** Counted since each node started: a cluster shared by several runs (the tests) adds them up. */
function conflictCounters(cluster: GaleraCluster) {
  const running = cluster.addresses.map((_, index) => index + 1).filter((node) => cluster.isRunning(node));
  return Promise.all(running.map(async (node) => ({ node, ...(await readConflictCounters(cluster.address(node))) })));
}

/** The cluster settings.cluster asks for, and how to let go of it afterwards. */
async function clusterFor(settings: VerifySettings, given?: GaleraCluster) {
  if (!settings.cluster) return undefined;
  if (given) return { cluster: given, release: () => Promise.resolve() };
  const cluster = await startCluster({ basePort: settings.cluster.basePort });
  return { cluster, release: () => cluster.stop() };
}

/**
 * Starts two replicas of each service (on one server, or on a Galera cluster
 * of its own), or uses the deployment the settings name; gives the customers
 * a goal history in the past when it started the replicas; runs the workload,
 * injecting faults when asked; reads every customer's final goal and checks
 * the history. Whatever it started it stops, also when something fails.
 */
export async function runVerification(
  settings: VerifySettings,
  onProgress?: (progress: WorkloadProgress) => void,
  options: VerificationOptions = {},
): Promise<VerificationRun> {
  const owned = await clusterFor(settings, options.cluster);
  try {
    const placement =
      owned && settings.cluster ? { cluster: owned.cluster, galeraSyncWait: settings.cluster.galeraSyncWait } : undefined;
    const deployment = givenDeployment(settings) ?? (await startReplicas(placement));
    const replicas = connectReplicas(deployment.goalsAddresses, deployment.mealsAddresses);
    try {
      const customers = customerIds(settings.customers, settings.seed);
      // Past days are judged by past goals: a run that owns the goals database gives its customers a past.
      const seededVersions = deployment.goalsDatabase
        ? await seedPastGoals(deployment.goalsDatabase, customers, settings.seed, deployment.databaseServer)
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
      const faults =
        owned && settings.cluster?.faults
          ? injectFaults({
              cluster: owned.cluster,
              replicas: deployment.replicas,
              durationMs: settings.durationMs,
              now: () => recorder.now(),
            })
          : undefined;
      const workloadMs = await runWorkload({
        context,
        durationMs: settings.durationMs,
        clients: settings.clients,
        seed: settings.seed,
        onProgress,
      });
      const faultEvents = await faults;
      const conflicts = owned ? await conflictCounters(owned.cluster) : undefined;
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
        faults: faultEvents && faultFigures(history, faultEvents),
        nodeChanges: placement
          ? deployment.replicas.map((replica) => ({
              label: replica.label,
              address: replica.address,
              changes: replica.nodeChanges(),
            }))
          : undefined,
        conflicts,
      };
    } finally {
      replicas.close();
      await deployment.stop();
    }
  } finally {
    await owned?.release();
  }
}
