import { openCluster, startCluster, type GaleraCluster } from "./GaleraCluster.js";
import { CLUSTER_HELP, parseClusterArgs, UsageError, type ClusterCommand } from "./parseClusterArgs.js";

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function parse(): ClusterCommand {
  try {
    return parseClusterArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cluster: ${error.message}\nSee --help.\n`);
    process.exit(EXIT_USAGE);
  }
}

/** The cluster a previous `start` left in dir; a base port given as well must be the one it was started on. */
function open(dir: string, basePort: number | undefined): GaleraCluster {
  const cluster = openCluster(dir);
  if (basePort !== undefined && basePort !== cluster.basePort) {
    throw new Error(`the cluster in ${dir} runs on base port ${cluster.basePort}, not ${basePort}`);
  }
  return cluster;
}

async function printStatus(cluster: GaleraCluster): Promise<void> {
  for (const [index, address] of cluster.addresses.entries()) {
    const node = index + 1;
    const where = `node ${node} ${address.host}:${address.port}`;
    if (!cluster.isRunning(node)) {
      process.stdout.write(`${where} not running\n`);
      continue;
    }
    try {
      const status = await cluster.status(node);
      process.stdout.write(
        `${where} ${status.localStateComment}, ready ${status.ready ? "ON" : "OFF"}, ` +
          `cluster size ${status.clusterSize} (${status.clusterStatus})\n`,
      );
    } catch (error) {
      process.stdout.write(`${where} running, not answering: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

async function execute(command: Exclude<ClusterCommand, { help: true }>): Promise<void> {
  switch (command.action) {
    case "start": {
      const started = Date.now();
      const cluster = await startCluster({ dir: command.dir, basePort: command.basePort, nodes: command.nodes, detached: true });
      process.stdout.write(`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s, files in ${cluster.dir}\n`);
      return printStatus(cluster);
    }
    case "status":
      return printStatus(open(command.dir, command.basePort));
    case "kill":
      await open(command.dir, command.basePort).killNode(command.node);
      process.stdout.write(`node ${command.node} killed (SIGKILL)\n`);
      return;
    case "restart": {
      const { stateTransfer, elapsedMs } = await open(command.dir, command.basePort).startNode(command.node);
      process.stdout.write(
        `node ${command.node} Synced again in ${(elapsedMs / 1000).toFixed(1)} s (state transfer: ${stateTransfer})\n`,
      );
      return;
    }
    case "stop":
      await open(command.dir, command.basePort).stop({ keepData: command.keepData });
      process.stdout.write(`cluster in ${command.dir} stopped${command.keepData ? "" : " and removed"}\n`);
  }
}

const command = parse();
if (command.help) {
  process.stdout.write(CLUSTER_HELP);
} else {
  try {
    await execute(command);
  } catch (error) {
    process.stderr.write(`cluster ${command.action} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  }
}
