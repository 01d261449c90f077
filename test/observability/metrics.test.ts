import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { Agent, request } from "node:http";
import { ConfigError } from "../../shared/config/ConfigError.js";
import { grpcCodeName, ServiceMetrics, splitMethodPath } from "../../shared/observability/metrics.js";
import { readMetricsListen, startMetricsServer, type RunningMetricsServer } from "../../shared/observability/metricsServer.js";

const GET_GOAL = "/mealplan.goals.v1.GoalsService/GetGoal";
const UPDATE_GOAL = "/mealplan.goals.v1.GoalsService/UpdateGoal";

/** The sample lines of one metric family, e.g. every `grpc_server_handled_total{...} n`. */
function samples(text: string, name: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe("observability: metrics", () => {
  it("splits a method path into grpc_service and grpc_method", () => {
    expect(splitMethodPath(GET_GOAL)).to.deep.equal({ service: "mealplan.goals.v1.GoalsService", method: "GetGoal" });
    expect(splitMethodPath("grpc.health.v1.Health/Check")).to.deep.equal({ service: "grpc.health.v1.Health", method: "Check" });
  });

  it("names status codes as go-grpc-prometheus does", () => {
    expect([status.OK, status.NOT_FOUND, status.DEADLINE_EXCEEDED, status.CANCELLED].map(grpcCodeName)).to.deep.equal([
      "OK",
      "NotFound",
      "DeadlineExceeded",
      "Canceled",
    ]);
  });

  it("counts calls started and handled, by method and code, with their latency", async () => {
    const metrics = new ServiceMetrics();
    for (let i = 0; i < 3; i++) metrics.callStarted(GET_GOAL);
    metrics.callStarted(UPDATE_GOAL);
    metrics.callHandled(GET_GOAL, status.OK, 0.004);
    metrics.callHandled(GET_GOAL, status.OK, 0.02);
    metrics.callHandled(GET_GOAL, status.NOT_FOUND, 0.3);
    const { text } = await metrics.exposition();

    const labels = 'grpc_type="unary",grpc_service="mealplan.goals.v1.GoalsService",grpc_method="GetGoal"';
    expect(samples(text, "grpc_server_started_total")).to.deep.equal([
      `grpc_server_started_total{${labels}} 3`,
      'grpc_server_started_total{grpc_type="unary",grpc_service="mealplan.goals.v1.GoalsService",grpc_method="UpdateGoal"} 1',
    ]);
    expect(samples(text, "grpc_server_handled_total")).to.deep.equal([
      `grpc_server_handled_total{${labels},grpc_code="OK"} 2`,
      `grpc_server_handled_total{${labels},grpc_code="NotFound"} 1`,
    ]);
    const histogram = samples(text, "grpc_server_handling_seconds_bucket");
    expect(histogram).to.include(`grpc_server_handling_seconds_bucket{le="0.005",${labels}} 1`);
    expect(histogram).to.include(`grpc_server_handling_seconds_bucket{le="0.025",${labels}} 2`);
    expect(histogram).to.include(`grpc_server_handling_seconds_bucket{le="+Inf",${labels}} 3`);
    expect(samples(text, "grpc_server_handling_seconds_count")).to.deep.equal([
      `grpc_server_handling_seconds_count{${labels}} 3`,
    ]);
    expect(samples(text, "grpc_server_handling_seconds_sum")).to.deep.equal([
      `grpc_server_handling_seconds_sum{${labels}} 0.324`,
    ]);
  });

  it("counts retries by reason, restarts, aborted answers and calls to goals", async () => {
    const metrics = new ServiceMetrics();
    for (const errno of [1213, 1213, 1205, 1020, 1062]) metrics.transactionRetried(errno);
    metrics.versionProtocolRestarted();
    metrics.versionProtocolRestarted();
    metrics.answerAborted("GOAL_KEPT_CHANGING");
    metrics.goalsClientCallEnded(status.OK);
    metrics.goalsClientCallEnded(status.OK);
    metrics.goalsClientCallEnded(status.UNAVAILABLE);
    const { text } = await metrics.exposition();

    expect(samples(text, "mealplan_transaction_retries_total")).to.deep.equal([
      'mealplan_transaction_retries_total{reason="deadlock"} 2',
      'mealplan_transaction_retries_total{reason="lock_wait_timeout"} 1',
      'mealplan_transaction_retries_total{reason="snapshot"} 1',
      'mealplan_transaction_retries_total{reason="other"} 1',
    ]);
    expect(samples(text, "mealplan_version_protocol_restarts_total")).to.deep.equal([
      "mealplan_version_protocol_restarts_total 2",
    ]);
    expect(samples(text, "mealplan_aborted_answers_total")).to.deep.equal([
      'mealplan_aborted_answers_total{reason="GOAL_KEPT_CHANGING"} 1',
    ]);
    expect(samples(text, "mealplan_goals_client_calls_total")).to.deep.equal([
      'mealplan_goals_client_calls_total{grpc_code="OK"} 2',
      'mealplan_goals_client_calls_total{grpc_code="Unavailable"} 1',
    ]);
  });

  it("reads the pool's numbers at each scrape", async () => {
    const pool = { connectionsInUse: 3, callersWaiting: 0 };
    const metrics = new ServiceMetrics({ databasePool: () => pool });
    expect(samples((await metrics.exposition()).text, "mealplan_db_pool_connections_in_use")).to.deep.equal([
      "mealplan_db_pool_connections_in_use 3",
    ]);
    pool.connectionsInUse = 10;
    pool.callersWaiting = 7;
    const { text } = await metrics.exposition();
    expect(samples(text, "mealplan_db_pool_connections_in_use")).to.deep.equal(["mealplan_db_pool_connections_in_use 10"]);
    expect(samples(text, "mealplan_db_pool_callers_waiting")).to.deep.equal(["mealplan_db_pool_callers_waiting 7"]);
    expect(samples((await new ServiceMetrics().exposition()).text, "mealplan_db_pool_callers_waiting"), "no pool").to.deep.equal(
      [],
    );
  });

  it("includes the process metrics of Node.js, in a registry of each service's own", async () => {
    const goals = new ServiceMetrics();
    const meals = new ServiceMetrics();
    goals.callStarted(GET_GOAL);
    const { text } = await meals.exposition();
    expect(samples(text, "process_cpu_seconds_total")).to.have.length(1);
    expect(samples(text, "nodejs_heap_size_used_bytes")).to.have.length(1);
    expect(samples(text, "grpc_server_started_total")).to.deep.equal([]);
  });
});

function get(port: number, path: string, method = "GET"): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path, method }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, contentType: response.headers["content-type"] ?? "", body }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("observability: metrics server", () => {
  const metrics = new ServiceMetrics();
  let server: RunningMetricsServer;

  before(async () => {
    metrics.callStarted(GET_GOAL);
    server = await startMetricsServer("127.0.0.1:0", metrics);
  });
  after(() => server.stop());

  it("serves the text exposition at GET /metrics", async () => {
    const response = await get(server.port, "/metrics");
    expect(response.status).to.equal(200);
    expect(response.contentType).to.equal("text/plain; version=0.0.4; charset=utf-8");
    expect(samples(response.body, "grpc_server_started_total")).to.have.length(1);
    expect((await get(server.port, "/metrics?name[]=x")).status, "a query string").to.equal(200);
  });

  it("answers 404 to anything else", async () => {
    expect((await get(server.port, "/")).status).to.equal(404);
    expect((await get(server.port, "/metricsx")).status).to.equal(404);
    expect((await get(server.port, "/metrics", "POST")).status).to.equal(404);
  });

  it("stops within its grace period although a scraper keeps its connection open", async () => {
    const other = await startMetricsServer("127.0.0.1:0", metrics);
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      request({ host: "127.0.0.1", port: other.port, path: "/metrics", agent }, (response) =>
        response.resume().on("end", resolve),
      )
        .on("error", reject)
        .end(),
    );
    const began = Date.now();
    await other.stop(200);
    expect(Date.now() - began).to.be.lessThan(1000);
    agent.destroy();
  });

  it("is off unless METRICS_LISTEN names an address", () => {
    expect(readMetricsListen({})).to.equal(undefined);
    expect(readMetricsListen({ METRICS_LISTEN: "0.0.0.0:9464" })).to.equal("0.0.0.0:9464");
    expect(() => readMetricsListen({ METRICS_LISTEN: "9464" })).to.throw(ConfigError, "METRICS_LISTEN");
  });
});
