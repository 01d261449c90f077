import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from "@grpc/grpc-js";
import { expect } from "chai";
import { service as healthService } from "grpc-health-check";
import { startService, type StartedService } from "../security/startService.js";
import { startStandaloneMariadb, type StandaloneMariadb } from "./standaloneMariadb.js";

type HealthCheck = (
  request: { service: string },
  callback: (error: ServiceError | null, response?: { status: string }) => void,
) => void;
const HealthClient = makeGenericClientConstructor(healthService, "Health");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("observability: health follows the database", function () {
  this.timeout(120000);
  let mariadb: StandaloneMariadb;
  let goals: StartedService;
  let health: Client & { check: HealthCheck };

  const check = (service: string) =>
    new Promise<string>((resolve, reject) =>
      health.check({ service }, (error, response) => (error ? reject(error) : resolve(response!.status))),
    );
  /** Polls until both keys report `expected`, and returns how long that took. */
  const waitFor = async (expected: string, timeoutMs: number): Promise<number> => {
    const began = Date.now();
    while (Date.now() - began < timeoutMs) {
      if ((await check("mealplan.goals.v1.GoalsService")) === expected && (await check("")) === expected)
        return Date.now() - began;
      await sleep(100);
    }
    throw new Error(`health did not become ${expected} within ${timeoutMs} ms`);
  };

  before(async () => {
    mariadb = await startStandaloneMariadb();
    goals = await startService("goals", { MYSQL_URL: mariadb.mysqlUrl });
    health = new HealthClient(goals.address, credentials.createInsecure()) as unknown as Client & {
      check: HealthCheck;
    };
  });
  after(async () => {
    health?.close();
    await goals?.running.stop();
    await mariadb?.remove();
  });

  it("reports NOT_SERVING within seconds of the database going away, and SERVING once it is back", async () => {
    expect(await check("mealplan.goals.v1.GoalsService")).to.equal("SERVING");
    await sleep(1500);
    expect(await check(""), "steady while the database answers").to.equal("SERVING");

    await mariadb.stop();
    expect(await waitFor("NOT_SERVING", 5000)).to.be.lessThan(3000);
    expect(goals.logs.filter((line) => line.event === "database unreachable")).to.have.length(1);

    await mariadb.start();
    expect(await waitFor("SERVING", 5000)).to.be.lessThan(3000);
    expect(goals.logs.filter((line) => line.event === "database reachable again")).to.have.length(1);
  });
});
