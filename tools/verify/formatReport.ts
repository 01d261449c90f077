import type { CheckResult, Violation } from "./CheckResult.js";
import { violationCount } from "./checkHistory.js";
import { describeCall } from "./describeCall.js";
import type { History } from "./History.js";
import type { VerifySettings } from "./VerifySettings.js";

export interface ReportInput {
  settings: VerifySettings;
  goalsAddresses: string[];
  mealsAddresses: string[];
  /** How long the workload really ran. */
  workloadMs: number;
  history: History;
  results: CheckResult[];
  /** Error lines the replicas logged, when the run started them. */
  loggedErrors: string[];
}

/** Violations spelled out per check; the rest are only counted. */
const VIOLATIONS_SHOWN = 3;
/** Calls shown per violation: the violating one and the first witnesses. */
const CALLS_SHOWN = 5;
const LOGGED_ERRORS_SHOWN = 5;

const count = (value: number) => value.toLocaleString("en-US");

/** "A 12, B 3": each label with how often it occurs, most frequent first. */
function tally(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const sorted = [...counts].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
  return sorted.map(([label, n]) => `${label} ${count(n)}`).join(", ") || "none";
}

/** Columns padded to their widest cell; numbers right-aligned. */
function renderTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function describeViolation(violation: Violation): string[] {
  const calls = violation.calls.slice(0, CALLS_SHOWN).map((call) => `      ${describeCall(call)}`);
  const more = violation.calls.length > CALLS_SHOWN ? [`      ... and ${violation.calls.length - CALLS_SHOWN} more calls`] : [];
  return [`  - customer ${violation.customerId}: ${violation.explanation}`, ...calls, ...more];
}

function describeFailures(results: CheckResult[]): string[] {
  return results.flatMap((result, index) => {
    if (result.violations.length === 0) return [];
    const shown = result.violations.slice(0, VIOLATIONS_SHOWN);
    return [
      "",
      `${index + 1}. ${result.title}: ${count(result.violations.length)} violation(s); the first ${shown.length}:`,
      ...shown.flatMap(describeViolation),
    ];
  });
}

function describeLoggedErrors(loggedErrors: string[]): string[] {
  if (loggedErrors.length === 0) return [];
  const shown = loggedErrors.slice(-LOGGED_ERRORS_SHOWN);
  return [
    "",
    `The replicas logged ${count(loggedErrors.length)} error line(s); the last ${shown.length}:`,
    ...shown.map((line) => `  ${line}`),
  ];
}

/** The run's summary, one table row per anomaly checked, and the first violating calls of each. */
export function formatReport({
  settings,
  goalsAddresses,
  mealsAddresses,
  workloadMs,
  history,
  results,
  loggedErrors,
}: ReportInput): string {
  const { calls } = history;
  const errors = calls.flatMap((call) => (call.outcome.status === "error" ? [call.outcome.codeName] : []));
  const rows = results.map((result, index) => [
    String(index + 1),
    result.title,
    result.seedCases.join(", ") || "-",
    count(result.examined),
    result.concurrent === undefined ? "-" : count(result.concurrent),
    count(result.undecided),
    count(result.violations.length),
  ]);
  const violations = violationCount(results);
  const verdict =
    violations === 0
      ? `PASS: no violation in ${count(calls.length)} calls`
      : `FAIL: ${count(violations)} violation(s) in ${count(calls.length)} calls`;
  return [
    `Verified ${count(calls.length)} calls from ${settings.clients} clients over ${(workloadMs / 1000).toFixed(1)} s, ` +
      `${settings.customers} customers (${settings.hotCustomers} hot), seed ${settings.seed}`,
    `  goals replicas: ${goalsAddresses.join(", ")}; meals replicas: ${mealsAddresses.join(", ")}`,
    `  calls:  ${tally(calls.map((call) => call.method))}`,
    `  errors: ${tally(errors)}`,
    "",
    renderTable(["#", "Anomaly checked", "Seed case", "Examined", "Concurrent", "Undecided", "Violations"], rows, [
      true,
      false,
      false,
      true,
      true,
      true,
      true,
    ]),
    "",
    "Seed cases: 1 recommendation while the goal is lowered, 2 recommendation while a meal's calories change, 3 lost goal update.",
    "Concurrent: examined calls that overlapped a write they depend on. Undecided: past the search bound, not judged.",
    ...describeFailures(results),
    ...describeLoggedErrors(loggedErrors),
    "",
    verdict,
  ].join("\n");
}
