import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import type { MysqlServerAddress } from "../shared/config/environmentParsers.js";
import type { BenchOptions } from "./benchOptions.js";
import type { CatalogShape } from "./catalog.js";
import type { RoundTripCount } from "./roundTrips.js";
import type { TargetResult } from "./targets.js";
import type { MeasuredRun, WorkloadRow } from "./Workload.js";

export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  grpcJs: string;
  database: string;
}

export interface BenchReport {
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineDescription;
  options: BenchOptions;
  /** The catalog the workloads ran against; the catalog sweep grows it afterwards. */
  catalog: CatalogShape;
  rows: WorkloadRow[];
  /** Database round trips per call, by RPC and path, counted through the repositories. */
  roundTrips: RoundTripCount[];
  /** VmHWM of each server process over the whole run, in MB. */
  peakRssMb: Record<string, number>;
  targets: TargetResult[];
  notes: string[];
  serviceErrorLogSamples: string[];
}

const RESULTS_DIR = new URL("../../bench/results/", import.meta.url);

export async function describeMachine(mysql: MysqlServerAddress): Promise<MachineDescription> {
  const connection = await createConnection(mysql);
  try {
    const [[row]] = await connection.query<RowDataPacket[]>("SELECT VERSION() AS version");
    const grpcPackage = JSON.parse(
      await readFile(new URL("../../node_modules/@grpc/grpc-js/package.json", import.meta.url), "utf8"),
    ) as { version: string };
    return {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      grpcJs: String(grpcPackage.version),
      database: String(row.version),
    };
  } finally {
    await connection.end();
  }
}

const count = (value: number) => value.toLocaleString("en-US");
const ms = (value: number) => (Number.isNaN(value) ? "-" : value < 10 ? value.toFixed(2) : value.toFixed(1));
const ratio = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : "-");
const errors = (byStatus: Record<string, number>) =>
  Object.keys(byStatus).length === 0
    ? "0"
    : Object.entries(byStatus)
        .map(([name, n]) => `${name} ${n}`)
        .join(", ");

function throughputRatio(row: WorkloadRow, reference: MeasuredRun | undefined): string {
  return reference ? ratio(row.service.measurement.callsPerSecond / reference.measurement.callsPerSecond) : "-";
}

function workloadLine(row: WorkloadRow): string {
  const { measurement, system } = row.service;
  const sqlP99 = row.database ? `${(measurement.p99Ms / row.database.measurement.p99Ms).toFixed(2)}x` : "-";
  const reference = row.baseline ? `${throughputRatio(row, row.baseline)} of alone` : throughputRatio(row, row.database);
  const rss = Object.entries(system.peakRssMb)
    .map(([name, mb]) => `${name} ${mb}`)
    .join(", ");
  return `| ${row.name} | ${count(measurement.callsPerSecond)} | ${ms(measurement.p50Ms)} | ${ms(measurement.p95Ms)} | ${ms(measurement.p99Ms)} | ${errors(measurement.errors)} | ${throughputRatio(row, row.transport)} | ${reference} | ${sqlP99} | ${rss} |`;
}

/** A row's ceilings, each with the kind the ceilings table names it by. */
const ceilingsOf = (row: WorkloadRow) =>
  [
    ["transport", row.transport],
    ["floor: transport and one query, nothing else", row.floor],
    ["database", row.database],
    ["database, service's statements", row.sameStatements],
    ["alone", row.baseline],
  ] as const;

function ceilingLines(rows: WorkloadRow[]): string[] {
  const seen = new Set<MeasuredRun>();
  const lines: string[] = [];
  for (const row of rows) {
    for (const [kind, run] of ceilingsOf(row)) {
      if (!run || seen.has(run)) continue;
      seen.add(run);
      const { measurement } = run;
      lines.push(
        `| ${measurement.label} | ${kind} | ${count(measurement.callsPerSecond)} | ${ms(measurement.p50Ms)} | ${ms(measurement.p95Ms)} | ${ms(measurement.p99Ms)} | ${errors(measurement.errors)} |`,
      );
    }
  }
  return lines;
}

function usageLines(rows: WorkloadRow[], processes: string[]): string[] {
  const seen = new Set<MeasuredRun>();
  const lines: string[] = [];
  for (const row of rows) {
    for (const run of [row.service, ...ceilingsOf(row).map(([, ceiling]) => ceiling)]) {
      if (!run || seen.has(run)) continue;
      seen.add(run);
      const { measurement, system } = run;
      const cpu = processes.map((name) =>
        system.cpuPercent[name] === undefined ? "-" : `${system.cpuPercent[name]}% (${count(system.cpuUsPerCall[name] ?? 0)})`,
      );
      lines.push(
        `| ${measurement.label} | ${measurement.processes} x ${Math.ceil(measurement.concurrency / measurement.processes)} | ${count(measurement.callsPerSecond)} | ${cpu.join(" | ")} | ${count(system.rowLockWaits)} | ${count(system.pageReads)} | ${system.serviceErrorLogs} |`,
      );
    }
  }
  return lines;
}

export function renderMarkdown(report: BenchReport): string {
  const { machine, options, catalog } = report;
  const processes = ["goals", "meals", "echo", "mariadbd", "load clients", "other"];
  const mark = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "met" : "**missed**");
  return [
    "# Benchmark results",
    "",
    `Command: \`${report.command}\`, ${report.startedAt.slice(0, 16).replace("T", " ")} UTC.`,
    "",
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${Math.round(machine.memoryMb / 1024)} GB; Node ${machine.node}, ` +
      `grpc-js ${machine.grpcJs}; ${machine.database} on the same machine. Services, database, echo server and ` +
      `load clients all share these ${machine.cpus} cores.`,
    "",
    `Each measurement: ${options.warmupS} s warm-up, then ${options.durationS} s measured, from ${options.clients} load client ` +
      `processes with ${options.concurrency} calls in flight in total unless the row says otherwise. Catalog: ` +
      `${count(catalog.customers)} customers with goals, ${count(catalog.meals)} meals over 30 days.`,
    "",
    "What the numbers mean, where the time goes and why targets are missed: [docs/performance.md](../../docs/performance.md).",
    "",
    "## Targets",
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    ...report.targets.map((target) => `| ${target.target} | ${target.measured} | ${mark(target.met)} |`),
    "",
    "## Workloads",
    "",
    "Ratios divide the service's calls/s by the ceiling's: the echo server answering the same clients (transport), " +
      "raw mysql2 doing the same transactions with one connection per loop (database), or for the mix the same load alone.",
    "",
    "| Workload | calls/s | p50 ms | p95 ms | p99 ms | errors | vs echo | vs raw SQL | p99 / raw SQL p99 | peak RSS MB |",
    "|---|--:|--:|--:|--:|---|--:|--:|--:|---|",
    ...report.rows.map(workloadLine),
    "",
    "## Database round trips per call",
    "",
    "Each RPC's database work run once on its common path (no conflict, no retry) through the repositories the services " +
      "run, counted by their Database class: a round trip is one packet of statements and its answer.",
    "",
    "| RPC | path | round trips |",
    "|---|---|--:|",
    ...report.roundTrips.map((count) => `| ${count.rpc} | ${count.path} | ${count.roundTrips} |`),
    "",
    "## Ceilings",
    "",
    "| Measurement | ceiling | calls/s | p50 ms | p95 ms | p99 ms | errors |",
    "|---|---|--:|--:|--:|--:|---|",
    ...ceilingLines(report.rows),
    "",
    "## CPU while measuring",
    "",
    "Each cell: percent of one core over the measured window (the processes together cannot exceed " +
      `${machine.cpus * 100}%), and in parentheses CPU microseconds per call, which other work on the machine ` +
      'hardly moves. "other" is the rest of the machine\'s busy time: kernel network work, and noise from anything ' +
      "else running. Row lock waits and page reads (InnoDB buffer pool misses) are server-wide; error logs count the " +
      "services' error-level lines.",
    "",
    `| Measurement | clients x loops | calls/s | ${processes.join(" | ")} | row lock waits | page reads | error logs |`,
    `|---|---|--:|${processes.map(() => "--:").join("|")}|--:|--:|--:|`,
    ...usageLines(report.rows, processes),
    "",
    `Peak RSS over the whole run (VmHWM): ${Object.entries(report.peakRssMb)
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(", ")}.`,
    "",
    ...(report.notes.length + report.rows.flatMap((row) => row.notes).length > 0
      ? [
          "## Notes",
          "",
          ...report.notes.map((note) => `- ${note}`),
          ...report.rows.flatMap((row) => row.notes.map((note) => `- ${note}`)),
          "",
        ]
      : []),
  ].join("\n");
}

/** Writes <output>.json (everything measured) and <output>.md (the tables) under bench/results/. */
export async function writeReport(report: BenchReport): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = new URL(`${report.options.output}.json`, RESULTS_DIR);
  const markdown = new URL(`${report.options.output}.md`, RESULTS_DIR);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  return [json.pathname, markdown.pathname];
}
