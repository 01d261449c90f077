import { createConnection, type Connection } from "mysql2/promise";

export interface NodeAddress {
  host: string;
  port: number;
}

/** mariadb-install-db --auth-root-authentication-method=normal leaves root without a password. */
export function connectToNode(address: NodeAddress, connectTimeoutMs = 2000): Promise<Connection> {
  return createConnection({ host: address.host, port: address.port, user: "root", connectTimeout: connectTimeoutMs });
}
