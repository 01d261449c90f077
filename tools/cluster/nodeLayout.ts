import { join } from "node:path";

/**
 * Where node `number` (1-based) of a cluster keeps its files and which ports it
 * listens on. Each node takes a block of PORT_STRIDE ports from the base port,
 * so clusters with base ports PORT_STRIDE * nodes apart never collide.
 */
export interface NodeLayout {
  number: number;
  dir: string;
  configFile: string;
  dataDir: string;
  socket: string;
  pidFile: string;
  errorLog: string;
  /** What mariadbd writes before its error log is open (a datadir it cannot reach, a bad option). */
  stderrLog: string;
  sqlPort: number;
  groupPort: number;
  istPort: number;
  sstPort: number;
}

export const PORT_STRIDE = 10;

export function nodeLayout(clusterDir: string, basePort: number, number: number): NodeLayout {
  const dir = join(clusterDir, `node${number}`);
  const sqlPort = basePort + PORT_STRIDE * (number - 1);
  return {
    number,
    dir,
    configFile: join(dir, "my.cnf"),
    dataDir: join(dir, "data"),
    socket: join(dir, "mariadbd.sock"),
    pidFile: join(dir, "mariadbd.pid"),
    errorLog: join(dir, "error.log"),
    stderrLog: join(dir, "stderr.log"),
    sqlPort,
    groupPort: sqlPort + 1,
    istPort: sqlPort + 2,
    sstPort: sqlPort + 3,
  };
}
