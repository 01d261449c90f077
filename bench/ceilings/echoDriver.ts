import { randomCustomerId } from "../catalog.js";
import { EchoClient } from "./echoService.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

export const echoDriver = unaryCallDriver(
  EchoClient,
  "echo",
  (client) => client.echo,
  (job) => ({ customerId: randomCustomerId(job.catalog) }),
);
