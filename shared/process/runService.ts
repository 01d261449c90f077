import { ConfigError } from "../config/ConfigError.js";
import type { Logger } from "../logging/Logger.js";

export interface ServiceLifecycle {
  logger: Logger;
  /** Starts serving and returns how to stop: called once, on SIGTERM or SIGINT. */
  start(): Promise<() => Promise<void>>;
}

/**
 * Runs a service process: exits 2 with a readable message on bad
 * configuration, 1 if it cannot start, and 0 after a graceful stop.
 */
export async function runService(load: () => ServiceLifecycle): Promise<void> {
  let lifecycle: ServiceLifecycle;
  try {
    lifecycle = load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const { logger } = lifecycle;
  // Handlers guard their own promises; this only keeps a stray rejection from
  // taking every in-flight call down with the process.
  process.on("unhandledRejection", (reason) =>
    logger.error("unhandled rejection", { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) }),
  );
  let stop: () => Promise<void>;
  try {
    stop = await lifecycle.start();
  } catch (error) {
    logger.error("failed to start", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error("unclean stop", { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
