import { createJsonLogger } from "../../shared/logging/Logger.js";
import { runService } from "../../shared/process/runService.js";
import { MEALS_HELP, readMealsConfig } from "./config.js";
import { startMealsServer } from "./startMealsServer.js";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write(MEALS_HELP);
} else {
  await runService(() => {
    const config = readMealsConfig(process.env);
    const logger = createJsonLogger("meals");
    return {
      logger,
      start: async () => {
        const server = await startMealsServer(config, logger);
        return () => server.stop();
      },
    };
  });
}
