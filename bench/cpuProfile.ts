import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { basename, dirname, join } from "node:path";

/**
 * Preloaded into the servers with NODE_OPTIONS=--import when the bench runs
 * with --cpu-prof: Node refuses --cpu-prof itself in NODE_OPTIONS, and
 * spawnService takes no node flags from its caller. Samples the whole process and writes a
 * .cpuprofile (Chrome DevTools format) when it exits.
 */
const directory = process.env.BENCH_CPU_PROFILE_DIR;
const SAMPLING_INTERVAL_US = 500;

if (directory) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
  session.post("Profiler.start");
  // e.g. dist/services/goals/main.js -> goals; dist/bench/ceilings/echoServer.js -> echoServer.
  const script = process.argv[1] ?? "node";
  const name = basename(script) === "main.js" ? basename(dirname(script)) : basename(script, ".js");
  // A same-thread inspector session answers synchronously, so this completes inside the exit handler.
  process.on("exit", () =>
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(join(directory, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    }),
  );
}
