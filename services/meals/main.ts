import { runService } from "../../shared/process/runService.js";
import { MEALS_HELP, readMealsConfig } from "./config.js";
import { startMealsServer } from "./startMealsServer.js";

await runService({ name: "meals", help: MEALS_HELP, readConfig: readMealsConfig, start: startMealsServer });
