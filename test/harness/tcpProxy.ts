import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  address: string;
  /** From now on nothing passes either way, yet every connection stays open: a peer that hangs. */
  hang(): void;
  close(): void;
}

/** A TCP proxy to `target` (host:port) on a free loopback port, for tests that make a dependency hang. */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
  const sockets = new Set<Socket>();
  let hanging = false;
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk) => hanging || upstream.write(chunk));
    upstream.on("data", (chunk) => hanging || client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: proxyPort } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${proxyPort}`,
    hang: () => (hanging = true),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
