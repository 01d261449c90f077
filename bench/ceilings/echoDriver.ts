import { credentials } from "@grpc/grpc-js";
import { callUnary } from "../../shared/grpc/callUnary.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import { EchoClient } from "./echoService.js";

export const echoDriver: LoadDriverFactory = async (job) => {
  const client = new EchoClient(requireTarget(job.targets.echo, "echo"), credentials.createInsecure());
  return {
    call: async () => {
      await callUnary(client, client.echo, { customerId: randomCustomerId(job.catalog) }, Date.now() + job.callTimeoutMs);
      return 0;
    },
    close: async () => client.close(),
  };
};
