import { createJsonLogger } from "../../shared/logging/Logger.js";
import { runService } from "../../shared/process/runService.js";
import { GOALS_HELP, readGoalsConfig } from "./config.js";
import { startGoalsServer } from "./startGoalsServer.js";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write(GOALS_HELP);
} else {
  await runService(() => {
    const config = readGoalsConfig(process.env);
    const logger = createJsonLogger("goals");
    return {
      logger,
      start: async () => {
        const server = await startGoalsServer(config, logger);
        return () => server.stop();
      },
    };
  });
}
