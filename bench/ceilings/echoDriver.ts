import { createPromiseClient } from "@mealplan/client";
import { randomCustomerId } from "../catalog.js";
import type { LoadJob } from "../loadProtocol.js";
import { ECHO_SERVICE } from "./echoService.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

const connectEcho = (address: string) => createPromiseClient(ECHO_SERVICE, "bench.Echo", address);
const randomGoalRequest = (job: LoadJob) => ({ customerId: randomCustomerId(job.catalog) });

export const echoDriver = unaryCallDriver("echo", connectEcho, (client) => client.echo, randomGoalRequest);

/** GetGoal's floor in grpc-js and mysql2: the echo server reading the goal row (echoServer.ts). */
export const floorGetGoalDriver = unaryCallDriver("echo", connectEcho, (client) => client.readGoal, randomGoalRequest);
