import { Client, credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { expect } from "chai";
import { MAX_REQUEST_BYTES } from "../../shared/grpc/startGrpcServer.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";

/**
 * Calls grpc-js would end before any handler runs still travel the interceptor chain: each leaves one log line
 * with its method and code, like every other call.
 */
describe("goals: calls that end before a handler runs", () => {
  let fixture: GoalsFixture;
  let raw: Client;

  before(async () => {
    fixture = await startGoalsFixture();
    raw = new Client(fixture.address, credentials.createInsecure());
  });
  after(async () => {
    raw.close();
    await fixture.stop();
  });

  function send(path: string, body: Buffer): Promise<ServiceError | undefined> {
    return new Promise((resolve) =>
      raw.makeUnaryRequest(
        path,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        body,
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error) => resolve(error ?? undefined),
      ),
    );
  }

  async function loggedCall(method: string) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return fixture.logs.filter((line) => line.event === "call" && line.method === method).at(-1);
  }

  const getGoal = "/mealplan.goals.v1.GoalsService/GetGoal";

  it("an unknown method: UNIMPLEMENTED, logged", async () => {
    const path = `/mealplan.goals.v1.GoalsService/${"Nope".repeat(100)}`;
    const error = await send(path, Buffer.alloc(0));
    expect(error?.code).to.equal(status.UNIMPLEMENTED);
    expect(error?.details.length).to.be.below(200);
    expect(await loggedCall(path)).to.include({ code: "UNIMPLEMENTED" });
  });

  it("an undecodable body: INTERNAL, as gRPC servers answer it, logged", async () => {
    // Field 1 (customer_id) as a length-delimited value that claims more bytes than follow.
    const error = await send(getGoal, Buffer.from([0x0a, 0x7f, 0x61]));
    expect(error?.code).to.equal(status.INTERNAL);
    expect(error?.details).to.contain("is not a valid GetGoalRequest message");
    expect(await loggedCall(getGoal)).to.include({ level: "error", code: "INTERNAL" });
  });

  it("a body over the size limit: RESOURCE_EXHAUSTED, logged", async () => {
    const error = await send(getGoal, Buffer.alloc(MAX_REQUEST_BYTES + 1));
    expect(error?.code).to.equal(status.RESOURCE_EXHAUSTED);
    expect(await loggedCall(getGoal)).to.include({ code: "RESOURCE_EXHAUSTED" });
  });

  it("a well-formed call on the same connection still succeeds afterwards", async () => {
    // customer_id "nobody": NOT_FOUND, answered by the handler.
    const error = await send(getGoal, Buffer.from([0x0a, 0x06, ...Buffer.from("nobody")]));
    expect(error?.code).to.equal(status.NOT_FOUND);
  });
});
