import { createPromiseClient } from "@mealplan/client";
import { randomCustomerId } from "../catalog.js";
import { ECHO_SERVICE } from "./echoService.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

export const echoDriver = unaryCallDriver(
  "echo",
  (address) => createPromiseClient(ECHO_SERVICE, "bench.Echo", address),
  (client) => client.echo,
  (job) => ({ customerId: randomCustomerId(job.catalog) }),
);
