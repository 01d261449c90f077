import { runService } from "../../shared/process/runService.js";
import { GOALS_HELP, readGoalsConfig } from "./config.js";
import { startGoalsServer } from "./startGoalsServer.js";

await runService({ name: "goals", help: GOALS_HELP, readConfig: readGoalsConfig, start: startGoalsServer });
