import { existsSync } from "node:fs";
import { GALERA_PROVIDER } from "./nodeConfig.js";

export const MARIADBD = "/usr/sbin/mariadbd";
export const INSTALL_DB = "/usr/bin/mariadb-install-db";
/** The rsync SST script runs rsync on both sides of a full state transfer. */
const RSYNC = "/usr/bin/rsync";

/** Fails with what to install when this machine cannot run Galera nodes (CI installs them in .ci/run). */
export function requireGalera(): void {
  const missing = [MARIADBD, INSTALL_DB, GALERA_PROVIDER, RSYNC].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `cannot run a Galera cluster here, missing ${missing.join(", ")}: ` +
        "run `apt-get install -y galera-4 rsync` as root (mariadb-server too if mariadbd is missing)",
    );
  }
}
