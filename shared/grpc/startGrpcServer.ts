import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { Logger } from "../logging/Logger.js";
import { loadReflectionDescriptors } from "./loadReflectionDescriptors.js";

export interface GrpcServiceRegistration {
  /** Fully-qualified name, e.g. mealplan.goals.v1.GoalsService: the health check key. */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  listen: string;
  services: GrpcServiceRegistration[];
  logger: Logger;
  /** Concurrent calls per client connection; grpc-js sets no limit of its own. */
  maxConcurrentStreams?: number;
}

export interface RunningGrpcServer {
  readonly port: number;
  /**
   * Reports NOT_SERVING, lets calls in flight finish for up to graceMs, then
   * cuts whatever is left (a health Watch stream would otherwise hold it open).
   */
  shutdown(graceMs: number): Promise<void>;
}

const HEALTH_SERVICE = "grpc.health.v1.Health";

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
}

/** Serves the given services with health checking and server reflection. */
export async function startGrpcServer({
  listen,
  services,
  logger,
  maxConcurrentStreams = 256,
}: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({ "grpc.max_concurrent_streams": maxConcurrentStreams });
  for (const { definition, implementation } of services) server.addService(definition, implementation);

  const healthKeys = ["", ...services.map((service) => service.name)];
  const health = new HealthImplementation(Object.fromEntries(healthKeys.map((key) => [key, "SERVING"])));
  health.addToServer(server);
  new ReflectionService(loadReflectionDescriptors(), {
    services: [...services.map((service) => service.name), HEALTH_SERVICE],
  }).addToServer(server);

  const port = await bind(server, listen);
  logger.info("listening", { address: listen, port });

  return {
    port,
    shutdown: (graceMs) =>
      new Promise<void>((resolve) => {
        for (const key of healthKeys) health.setStatus(key, "NOT_SERVING");
        const force = setTimeout(() => {
          logger.error("shutdown grace period over; cancelling remaining calls", { grace_ms: graceMs });
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
