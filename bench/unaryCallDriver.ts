import type { CallOptions, ClientOptions } from "@mealplan/client";
import { requireTarget, type LoadDriverFactory } from "./LoadDriver.js";
import type { LoadJob } from "./loadProtocol.js";
import { serviceClientOptions } from "./secureTransport.js";

/**
 * A driver whose every call is one unary call through @mealplan/client (the
 * client callers use), on one channel to `target`, under the job's call timeout;
 * over mTLS to the services when the bench runs --secure (the echo ceiling stays plaintext).
 */
export function unaryCallDriver<Client extends { close(): void }, Request>(
  target: "goals" | "meals" | "echo",
  connect: (address: string, options: ClientOptions) => Client,
  method: (client: Client) => (request: Request, options: CallOptions) => Promise<unknown>,
  request: (job: LoadJob) => Request,
): LoadDriverFactory {
  return async (job) => {
    const client = connect(
      requireTarget(job.targets[target], target),
      target === "echo" ? {} : serviceClientOptions(job.targets),
    );
    const send = method(client);
    return {
      call: async () => {
        await send(request(job), { deadline: Date.now() + job.callTimeoutMs });
        return 0;
      },
      close: async () => client.close(),
    };
  };
}
