import { ConfigError } from "../config/ConfigError.js";
import type { Environment } from "../config/environmentParsers.js";
import { batchedStdout } from "../logging/batchedStdout.js";
import { createJsonLogger, type Logger } from "../logging/Logger.js";
import { stopTracing } from "../observability/tracing.js";
import type { RunningService } from "./startDatabaseService.js";

export interface ServiceProgram<Config> {
  /** The `service` field of every log line. */
  name: string;
  /** What --help prints. */
  help: string;
  readConfig(env: Environment): Config;
  start(config: Config, logger: Logger): Promise<RunningService>;
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * A service process: prints --help; exits 2 with a readable message on bad
 * configuration, 1 if it cannot start, and 0 after a graceful stop on
 * SIGTERM or SIGINT. Spans still queued are exported before it exits.
 */
export async function runService<Config>(program: ServiceProgram<Config>, argv = process.argv): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(program.help);
    return;
  }
  let config: Config;
  try {
    config = program.readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createJsonLogger(program.name, batchedStdout());
  // Handlers guard their own promises; this only keeps a stray rejection from
  // taking every in-flight call down with the process.
  process.on("unhandledRejection", (reason) => logger.error("unhandled rejection", { error: describe(reason) }));
  let service: RunningService;
  try {
    service = await program.start(config, logger);
  } catch (error) {
    logger.error("failed to start", { error: describe(error) });
    await stopTracing();
    process.exit(1);
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    void service
      .stop()
      .then(
        () => {
          logger.info("stopped");
          return 0;
        },
        (error: unknown) => {
          logger.error("unclean stop", { error: describe(error) });
          return 1;
        },
      )
      .then(async (exitCode) => {
        await stopTracing().catch((error: unknown) => logger.error("traces not exported", { error: describe(error) }));
        process.exit(exitCode);
      });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
