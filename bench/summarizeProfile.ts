import { readFileSync } from "node:fs";

/**
 * Where a server's CPU went, from a .cpuprofile the bench wrote with
 * --cpu-prof: self time by package (natives such as JSON.stringify count for
 * the code that called them), the same with Node core work counted for the
 * package that asked for it, and inclusive time of the project's own
 * functions. With --calls N, also per call.
 *
 *   node dist/bench/summarizeProfile.js <file.cpuprofile> [--calls N] [--top N]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const SPECIAL = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

function packageOf(url: string): string | undefined {
  if (url === "") return undefined;
  const nodeModule = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModule) return nodeModule[1];
  const project = /\/dist\/(gen|shared\/[^/]+|services\/[^/]+|bench)\//.exec(url);
  if (project) return project[1] === "gen" ? "generated protobuf code (gen/)" : `${project[1]}/`;
  if (url.startsWith("node:")) return `node core: ${url.replace(/^node:(internal\/)?/, "").split("/")[0]}`;
  return url;
}

function firstPartyName(node: ProfileNode): string | undefined {
  const match = /\/dist\/((?:shared|services)\/.+\.js)$/.exec(node.callFrame.url);
  return match ? `${node.callFrame.functionName || "(anonymous)"} ${match[1]}:${node.callFrame.lineNumber + 1}` : undefined;
}

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith("--") && !/^\d+$/.test(arg));
const flag = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : undefined;
};
if (!file) {
  process.stderr.write("usage: node dist/bench/summarizeProfile.js <file.cpuprofile> [--calls N] [--top N]\n");
  process.exit(2);
}
const calls = flag("--calls");
const top = flag("--top") ?? 25;
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** The package a frame belongs to; natives belong to their caller, and with `coreToCaller` Node's own modules do too. */
function categorizer(coreToCaller: boolean): (id: number) => string {
  const categoryOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const parent = parentOf.get(id);
    const own = packageOf(node.callFrame.url);
    const inherited = parent === undefined ? undefined : resolve(parent);
    const fromCaller =
      inherited !== undefined && !SPECIAL.has(inherited) && !(inherited.startsWith("node core") && own !== undefined);
    let category: string;
    if (SPECIAL.has(node.callFrame.functionName)) category = node.callFrame.functionName;
    else if (own === undefined) category = fromCaller ? inherited : "native";
    else if (coreToCaller && own.startsWith("node core") && fromCaller) category = inherited!;
    else category = own;
    categoryOf.set(id, category);
    return category;
  };
  return resolve;
}
const resolveCategory = categorizer(false);
const resolveOwner = categorizer(true);

const selfUs = new Map<string, number>();
const ownerUs = new Map<string, number>();
const inclusiveUs = new Map<string, number>();
let totalUs = 0;
let idleUs = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  totalUs += delta;
  const category = resolveCategory(id);
  if (category === "(idle)") {
    idleUs += delta;
    return;
  }
  selfUs.set(category, (selfUs.get(category) ?? 0) + delta);
  const owner = resolveOwner(id);
  ownerUs.set(owner, (ownerUs.get(owner) ?? 0) + delta);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const name = firstPartyName(byId.get(at)!);
    if (name && !seen.has(name)) {
      seen.add(name);
      inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + delta);
    }
  }
});

const busyUs = totalUs - idleUs;
const line = (label: string, us: number) =>
  `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / busyUs) * 100).toFixed(1).padStart(5)}%` +
  (calls ? ` ${(us / calls).toFixed(1).padStart(7)} us/call` : "") +
  `  ${label}`;
const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);

const out = [
  `${file}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s busy (${((busyUs / totalUs) * 100).toFixed(0)}%)` +
    (calls ? `, ${calls} calls: ${(busyUs / calls).toFixed(0)} us of CPU per call` : ""),
  "",
  "Self time by package (natives count for their caller):",
  ...sorted(selfUs)
    .slice(0, top)
    .map(([category, us]) => line(category, us)),
  "",
  "By owner (Node core work, such as socket and pipe writes, counts for the package that asked for it):",
  ...sorted(ownerUs)
    .slice(0, top)
    .map(([category, us]) => line(category, us)),
  "",
  `Inclusive time of project functions (top ${top}):`,
  ...sorted(inclusiveUs)
    .slice(0, top)
    .map(([name, us]) => line(name, us)),
];
process.stdout.write(`${out.join("\n")}\n`);
