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

/** The targets, each judged from this one run. */
export function evaluateTargets(rows: WorkloadRow[], peakRssMb: Record<string, number>, services: string[]): TargetResult[] {
  const hotRows = rows.filter((row) => row.checks?.lostUpdates !== undefined);
  const small = rows.find((row) => row.id === "RecommendMeals@10000");
  const large = rows.find((row) => row.id === "RecommendMeals@1000000");
  const results: TargetResult[] = [
    throughputTarget(rows, "GetGoal", "transport", 0.6, "GetGoal calls/s >= 60% of the echo server's"),
    throughputTarget(rows, "UpdateGoal", "database", 0.5, "UpdateGoal (many customers) calls/s >= 50% of raw SQL"),
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
    small && large
      ? {
          target: "RecommendMeals p50 at 1M meals <= 2x p50 at 10k",
          measured: `${times(large.service.measurement.p50Ms / small.service.measurement.p50Ms)} (${large.service.measurement.p50Ms.toFixed(2)} vs ${small.service.measurement.p50Ms.toFixed(2)} ms)`,
          met: large.service.measurement.p50Ms <= 2 * small.service.measurement.p50Ms,
        }
      : { target: "RecommendMeals p50 at 1M meals <= 2x p50 at 10k", measured: "not measured (needs --with-1m)", met: undefined },
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
