import { credentials, type ChannelCredentials, type Client } from "@grpc/grpc-js";
import { callUnary, type UnaryMethod } from "../shared/grpc/callUnary.js";
import { requireTarget, type LoadDriverFactory } from "./LoadDriver.js";
import type { LoadJob } from "./loadProtocol.js";

type ClientConstructor<ServiceClient> = new (address: string, channelCredentials: ChannelCredentials) => ServiceClient;

/** A driver whose every call is one unary call, on one channel to `target`, under the job's call timeout. */
export function unaryCallDriver<ServiceClient extends Client, Request, Response>(
  ServiceClient: ClientConstructor<ServiceClient>,
  target: "goals" | "meals" | "echo",
  method: (client: ServiceClient) => UnaryMethod<Request, Response>,
  request: (job: LoadJob) => Request,
): LoadDriverFactory {
  return async (job) => {
    const client = new ServiceClient(requireTarget(job.targets[target], target), credentials.createInsecure());
    const send = method(client);
    return {
      call: async () => {
        await callUnary(client, send, request(job), Date.now() + job.callTimeoutMs);
        return 0;
      },
      close: async () => client.close(),
    };
  };
}
