import { createServer } from "node:net";

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Checked before any node starts, so a second cluster on the same base port fails at once and says why. */
export async function assertPortsFree(ports: number[]): Promise<void> {
  const taken: number[] = [];
  for (const port of ports) if (!(await portFree(port))) taken.push(port);
  if (taken.length > 0) {
    throw new Error(`ports ${taken.join(", ")} are in use (another cluster on this base port?): pick another base port`);
  }
}
