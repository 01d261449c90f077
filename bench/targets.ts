import type { RoundTripCount } from "./roundTrips.js";
import type { WorkloadRow } from "./Workload.js";

export interface TargetResult {
  target: string;
  measured: string;
  /** Undefined when the run did not measure it. */
  met: boolean | undefined;
}

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;

function throughputTarget(
  rows: WorkloadRow[],
  id: string,
  ceiling: "transport" | "database" | "baseline",
  minimum: number,
  target: string,
): TargetResult {
  const row = rows.find((candidate) => candidate.id === id);
  const reference = row?.[ceiling];
  if (!row || !reference) return { target, measured: "not measured", met: undefined };
  const ratio = row.service.measurement.callsPerSecond / reference.measurement.callsPerSecond;
  return {
    target,
    measured: `${percent(ratio)} (${row.service.measurement.callsPerSecond} vs ${reference.measurement.callsPerSecond} calls/s)`,
    met: ratio >= minimum,
  };
}

function p99Target(rows: WorkloadRow[], id: string, maximum: number, target: string): TargetResult {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row?.database) return { target, measured: "not measured", met: undefined };
  const ratio = row.service.measurement.p99Ms / row.database.measurement.p99Ms;
  return {
    target,
    measured: `${times(ratio)} (${row.service.measurement.p99Ms.toFixed(2)} vs ${row.database.measurement.p99Ms.toFixed(2)} ms)`,
    met: ratio <= maximum,
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * What the server spent per call in the row's transport ceiling and floor: the
 * same work on another machine costs another number of microseconds, and
 * these say how fast this one is.
 */
function serverCpuOfCeilings(row: WorkloadRow): string {
  const echo = row.transport?.system.cpuUsPerCall.echo;
  const floor = row.floor?.system.cpuUsPerCall.echo;
  const parts = [
    ...(echo === undefined ? [] : [`the echo server ${echo} us`]),
    ...(floor === undefined ? [] : [`the grpc-js + mysql2 floor ${floor} us`]),
  ];
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** CPU microseconds per call one process spent on a workload's service measurement. */
function cpuTarget(rows: WorkloadRow[], id: string, process: string, maximumUs: number, target: string): TargetResult {
  const row = rows.find((candidate) => candidate.id === id);
  const perCall = row?.service.system.cpuUsPerCall[process];
  if (row === undefined || perCall === undefined) return { target, measured: "not measured", met: undefined };
  return { target, measured: `${perCall} us per call${serverCpuOfCeilings(row)}`, met: perCall <= maximumUs };
}

function p50GrowthTarget(rows: WorkloadRow[], largeId: string, maximum: number, target: string, hint: string): TargetResult {
  const small = rows.find((row) => row.id === "RecommendMeals@10000");
  const large = rows.find((row) => row.id === largeId);
  if (!small || !large) return { target, measured: `not measured (${hint})`, met: undefined };
  const ratio = large.service.measurement.p50Ms / small.service.measurement.p50Ms;
  return {
    target,
    measured: `${times(ratio)} (${large.service.measurement.p50Ms.toFixed(2)} vs ${small.service.measurement.p50Ms.toFixed(2)} ms)`,
    met: ratio <= maximum,
  };
}

const MAX_WRITE_ROUND_TRIPS = 2;

function roundTripTarget(counts: RoundTripCount[]): TargetResult {
  const target = `Every write RPC: <= ${MAX_WRITE_ROUND_TRIPS} database round trips on its common path`;
  const writes = counts.filter((count) => count.write);
  if (writes.length === 0) return { target, measured: "not measured", met: undefined };
  const most = Math.max(...writes.map((count) => count.roundTrips));
  const over = writes.filter((count) => count.roundTrips > MAX_WRITE_ROUND_TRIPS);
  return {
    target,
    measured: `at most ${most}${over.length > 0 ? `: ${over.map((count) => `${count.rpc} (${count.path}) ${count.roundTrips}`).join(", ")}` : ""}`,
    met: over.length === 0,
  };
}

/** The issues' targets, each judged from this one run. */
export function evaluateTargets(
  rows: WorkloadRow[],
  peakRssMb: Record<string, number>,
  services: string[],
  roundTrips: RoundTripCount[],
): TargetResult[] {
  const hotRows = rows.filter((row) => row.checks?.lostUpdates !== undefined);
  const results: TargetResult[] = [
    cpuTarget(rows, "GetGoal", "goals", 140, "GetGoal: goals CPU <= 140 us per call"),
    throughputTarget(rows, "GetGoal", "transport", 0.75, "GetGoal calls/s >= 75% of the echo server's"),
    roundTripTarget(roundTrips),
    cpuTarget(rows, "UpdateGoal", "goals", 350, "UpdateGoal: goals CPU <= 350 us per call"),
    cpuTarget(rows, "UpdateGoal", "mariadbd", 300, "UpdateGoal: database CPU <= 300 us per call"),
    throughputTarget(
      rows,
      "UpdateGoal",
      "database",
      1,
      "UpdateGoal (many customers) calls/s >= 100% of raw SQL (the sequence of before)",
    ),
    p99Target(rows, "UpdateGoal", 3, "UpdateGoal (many customers) p99 <= 3x raw SQL p99"),
    throughputTarget(rows, "RecommendMeals", "database", 0.5, "RecommendMeals calls/s >= 50% of raw SQL"),
    p99Target(rows, "RecommendMeals", 3, "RecommendMeals p99 <= 3x raw SQL p99"),
    {
      target: "Hot customer: zero lost updates",
      measured: hotRows.length > 0 ? `${sum(hotRows.map((row) => row.checks!.lostUpdates))} lost` : "not measured",
      met: hotRows.length > 0 ? hotRows.every((row) => row.checks!.lostUpdates === 0) : undefined,
    },
    throughputTarget(rows, "HotGoal", "database", 0.5, "Hot customer updates/s >= 50% of the raw SQL hot-row ceiling"),
    throughputTarget(rows, "Mix", "baseline", 0.7, "Mix: CreateMeal keeps >= 70% of its calls/s alone"),
    p50GrowthTarget(rows, "RecommendMeals@1000000", 2, "RecommendMeals p50 at 1M meals <= 2x p50 at 10k", "needs --with-1m"),
    p50GrowthTarget(
      rows,
      "RecommendMeals@10000000",
      1.2,
      "RecommendMeals p50 at 10M meals <= 1.2x p50 at 10k",
      "needs --with-10m",
    ),
  ];
  for (const service of services) {
    const peak = peakRssMb[service];
    results.push({
      target: `Peak RSS of ${service} <= 150 MB`,
      measured: peak === undefined ? "not measured" : `${peak} MB (VmHWM over the whole run)`,
      met: peak === undefined ? undefined : peak <= 150,
    });
  }
  return results;
}
