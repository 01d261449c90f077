import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { readGoalsConfig } from "../../services/goals/config.js";
import { readMealsConfig } from "../../services/meals/config.js";
import type { Environment } from "../../shared/config/environmentParsers.js";
import { tracingRequested } from "../../shared/observability/tracing.js";

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
}
interface Compose {
  services: Record<string, ComposeService>;
}

/** OpenTelemetry's own variables, which the SDK reads rather than config.ts (shared/observability/tracing.ts). */
const OTEL_VARIABLES = [
  "OTEL_SERVICE_NAME",
  "OTEL_TRACES_EXPORTER",
  "OTEL_EXPORTER_OTLP_PROTOCOL",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
];

const READERS = { goals: readGoalsConfig, meals: readMealsConfig };

/** The names a configuration reader looks up, found by handing it an environment that records every read. */
function variablesRead(read: (env: Environment) => unknown): Set<string> {
  const seen = new Set<string>();
  read(new Proxy({}, { get: (_target, name) => (seen.add(String(name)), undefined) }));
  return seen;
}

const portOf = (hostPort: string) => Number(hostPort.slice(hostPort.lastIndexOf(":") + 1));

describe("deploy: docker-compose.yml", () => {
  // Docker Compose resolves YAML merge keys (<<: *anchor), which YAML 1.2 leaves off by default.
  const compose = parse(readFileSync("docker-compose.yml", "utf8"), { merge: true }) as Compose;
  let certs: string;

  before(async () => {
    certs = await mkdtemp(join(tmpdir(), "mealplan-dev-certs-"));
    await promisify(execFile)("sh", ["deploy/make-dev-certs.sh", certs]);
  });
  after(() => rm(certs, { recursive: true, force: true }));

  /** A service's environment as its container sees it, with the mounted files at their paths on this machine. */
  const hostEnvironment = (name: "goals" | "meals"): Environment => {
    const mounts = (compose.services[name].volumes ?? []).map((volume) => volume.split(":"));
    const onHost = (value: string) => {
      for (const [source, target] of mounts) {
        if (value === target) return source === "./deploy/certs" ? certs : source;
        if (value.startsWith(`${target}/`)) return (source === "./deploy/certs" ? certs : source) + value.slice(target.length);
      }
      return value;
    };
    return Object.fromEntries(
      Object.entries(compose.services[name].environment ?? {}).map(([key, value]) => [key, onHost(value)]),
    );
  };

  for (const name of ["goals", "meals"] as const) {
    describe(name, () => {
      it("sets only variables its config.ts reads (or OpenTelemetry's), and every value is valid with the certificates the script makes", () => {
        const known = variablesRead(READERS[name]);
        const unknown = Object.keys(compose.services[name].environment ?? {}).filter(
          (variable) => !known.has(variable) && !OTEL_VARIABLES.includes(variable),
        );
        expect(unknown).to.deep.equal([]);
        const config = READERS[name](hostEnvironment(name));
        expect(config.tls?.clientCa, "mTLS").to.not.equal(undefined);
        expect(config.accessPolicy, "the policy").to.not.equal(undefined);
        expect(config.metricsListen).to.equal("0.0.0.0:9464");
      });

      it("runs with the tracing --import, and its OTEL_* variables ask for traces sent to the jaeger service's OTLP port", () => {
        const command = compose.services[name].command ?? [];
        const imported = command[command.indexOf("--import") + 1];
        expect(imported).to.equal("./dist/shared/observability/registerTracing.js");
        expect(existsSync(imported), "built").to.equal(true);
        const env = compose.services[name].environment ?? {};
        expect(tracingRequested(env)).to.equal(true);
        const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
        expect(endpoint.hostname).to.equal("jaeger");
        expect(env.OTEL_EXPORTER_OTLP_PROTOCOL === "grpc" ? "4317" : "4318").to.equal(endpoint.port);
        expect(compose.services.jaeger.expose ?? []).to.include(endpoint.port);
        expect(compose.services.jaeger.environment).to.include({ COLLECTOR_OTLP_ENABLED: "true" });
      });
    });
  }

  it("publishes each gRPC port it listens on, and meals dials goals by its service name and port", () => {
    const goals = readGoalsConfig(hostEnvironment("goals"));
    const meals = readMealsConfig(hostEnvironment("meals"));
    expect(compose.services.goals.ports).to.deep.equal([`${portOf(goals.listen)}:${portOf(goals.listen)}`]);
    expect(compose.services.meals.ports).to.deep.equal([`${portOf(meals.listen)}:${portOf(meals.listen)}`]);
    expect(meals.goalsTarget).to.equal(`goals:${portOf(goals.listen)}`);
    expect(meals.goalsTls?.certChain, "meals calls goals with a client certificate").to.not.equal(undefined);
  });

  it("has Prometheus scrape both services at their METRICS_LISTEN ports", () => {
    const prometheus = compose.services.prometheus;
    const [source, target] = (prometheus.volumes ?? [])[0].split(":");
    expect(target).to.equal("/etc/prometheus/prometheus.yml");
    const scrape = parse(readFileSync(source, "utf8")) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = scrape.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    const expected = (["goals", "meals"] as const).map(
      (name) => `${name}:${portOf(READERS[name](hostEnvironment(name)).metricsListen!)}`,
    );
    expect(targets).to.have.members(expected);
  });
});
