import { spawnService, type SpawnedService } from "./spawnService.js";

/**
 * `npm start`: the service pair in one terminal, each in its own process so a
 * crash or a restart of one does not take the other down. SIGTERM/SIGINT stop
 * both gracefully.
 */
const services: SpawnedService[] = [];
for (const name of ["goals", "meals"] as const) {
  const service = await spawnService(name, {});
  service.child.stdout!.pipe(process.stdout);
  service.child.stderr!.pipe(process.stderr);
  for (const line of service.logs) process.stdout.write(`${JSON.stringify(line)}\n`);
  services.push(service);
  void service.exited.then((code) => {
    if (!stopping) {
      process.stderr.write(`${name} exited unexpectedly with ${code}; stopping the pair\n`);
      stop(1);
    }
  });
}

let stopping = false;
function stop(exitCode: number) {
  stopping = true;
  for (const service of services) service.child.kill("SIGTERM");
  void Promise.all(services.map((service) => service.exited)).then(() => process.exit(exitCode));
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
