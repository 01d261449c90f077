import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readHostPort, type Environment } from "../config/environmentParsers.js";
import type { ServiceMetrics } from "./metrics.js";

export const METRICS_HELP = `  METRICS_LISTEN       host:port serving Prometheus metrics at GET /metrics (unset: no metrics endpoint)`;

/** METRICS_LISTEN, or undefined when the service serves no metrics. */
export function readMetricsListen(env: Environment): string | undefined {
  return env.METRICS_LISTEN === undefined ? undefined : readHostPort(env, "METRICS_LISTEN", "0.0.0.0:9464");
}

export interface RunningMetricsServer {
  /** The port bound, useful when the address asked for port 0. */
  readonly port: number;
  /** Stops accepting scrapes, lets the ones in flight end for up to graceMs, then cuts the rest. */
  stop(graceMs?: number): Promise<void>;
}

function listen(server: Server, hostPort: string): Promise<number> {
  const colon = hostPort.lastIndexOf(":");
  const host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(hostPort.slice(colon + 1)), host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Serves GET /metrics on its own port, apart from gRPC, and 404 for anything else. */
export async function startMetricsServer(
  hostPort: string,
  metrics: Pick<ServiceMetrics, "exposition">,
): Promise<RunningMetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: metrics are at GET /metrics\n");
      return;
    }
    metrics.exposition().then(
      ({ contentType, text }) => response.writeHead(200, { "content-type": contentType }).end(text),
      (error: unknown) =>
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  const port = await listen(server, hostPort);
  return {
    port,
    stop: (graceMs = 1000) =>
      new Promise<void>((resolve) => {
        // close() waits for every connection to end; a scraper's idle keep-alive connection would hold it forever.
        const cutOff = setTimeout(() => server.closeAllConnections(), graceMs).unref();
        server.close(() => {
          clearTimeout(cutOff);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
