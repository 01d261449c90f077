import { createConnection, type Connection } from "mysql2/promise";

export interface NodeAddress {
  host: string;
  port: number;
}

/** Short: status polls a node that may still be starting, and should move on rather than hang. */
const CONNECT_TIMEOUT_MS = 2000;

/** mariadb-install-db --auth-root-authentication-method=normal leaves root without a password. */
export function connectToNode(address: NodeAddress): Promise<Connection> {
  return createConnection({ host: address.host, port: address.port, user: "root", connectTimeout: CONNECT_TIMEOUT_MS });
}
