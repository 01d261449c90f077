import { Server, ServerCredentials } from "@grpc/grpc-js";
import { createGoalsClient, type GoalsClient } from "@mealplan/client";
import { GoalsServiceService, type GetGoalRequest, type GetGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { expect } from "chai";
import type { CallScope } from "../../shared/call/CallScope.js";
import { DomainError } from "../../shared/errors/DomainError.js";
import { serveUnary } from "../../shared/grpc/serveUnary.js";
import { createJsonLogger } from "../../shared/logging/Logger.js";

/** What a handler saw when it first asked for its call's signal. */
interface SeenSignal {
  aborted: boolean;
  reason: string | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A call's signal is made when its handler first asks for it (serveUnary's
 * openScope). A call that ended before then must still reach the handler as
 * ended: the handler would otherwise start a transaction for a caller who is
 * gone, and nothing would stop it until the default deadline.
 */
describe("shared: a call's scope", () => {
  let server: Server;
  let client: GoalsClient;
  /** Resolved by the test when the handler may go on; the handler then reports what its signal said. */
  let proceed: () => void;
  let seen: Promise<SeenSignal>;

  beforeEach(async () => {
    let report!: (signal: SeenSignal) => void;
    seen = new Promise((resolve) => (report = resolve));
    const proceedGate = new Promise<void>((resolve) => (proceed = resolve));
    const handler = async (_request: GetGoalRequest, call: CallScope): Promise<GetGoalResponse> => {
      await proceedGate;
      const { aborted } = call.signal;
      const reason: unknown = call.signal.reason;
      report({ aborted, reason: reason instanceof DomainError ? reason.kind : undefined });
      return { goal: undefined };
    };
    server = new Server();
    server.addService(GoalsServiceService, {
      getGoal: serveUnary("GetGoal", handler, {
        errorDomain: "test",
        logger: createJsonLogger("test", { write: () => undefined }),
        defaultDeadlineMs: 30_000,
      }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    client = createGoalsClient(`127.0.0.1:${port}`);
  });

  afterEach(() => {
    client.close();
    server.forceShutdown();
  });

  it("a call cancelled before the handler asks for its signal: the signal has fired, CANCELLED", async () => {
    const caller = new AbortController();
    const call = client.getGoal({ customerId: "c1" }, { signal: caller.signal });
    call.catch(() => undefined);
    await sleep(100);
    caller.abort();
    await sleep(100);
    proceed();
    expect(await seen).to.deep.equal({ aborted: true, reason: "CANCELLED" });
  });

  it("a call whose deadline passed before the handler asks: the signal has fired, DEADLINE_EXCEEDED", async () => {
    const call = client.getGoal({ customerId: "c1" }, { deadline: Date.now() + 100 });
    call.catch(() => undefined);
    await sleep(300);
    proceed();
    expect(await seen).to.deep.equal({ aborted: true, reason: "DEADLINE_EXCEEDED" });
  });

  it("control: a call still in progress gets a signal that has not fired", async () => {
    const call = client.getGoal({ customerId: "c1" }, { deadline: Date.now() + 5_000 });
    call.catch(() => undefined);
    await sleep(100);
    proceed();
    expect(await seen).to.deep.equal({ aborted: false, reason: undefined });
    await call;
  });
});
