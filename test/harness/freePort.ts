import { createServer, type AddressInfo } from "node:net";

/** A loopback port nothing listens on now, for a process the test starts and restarts at a fixed address. */
export function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}
