import { expect } from "chai";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeConfig } from "../../tools/cluster/nodeConfig.js";
import { nodeLayout } from "../../tools/cluster/nodeLayout.js";
import { DEFAULT_BASE_PORT, parseClusterArgs, UsageError } from "../../tools/cluster/parseClusterArgs.js";

describe("cluster: the tool around the nodes", () => {
  describe("nodeLayout and nodeConfig", () => {
    it("gives each node its own block of ports and files", () => {
      const layouts = [1, 2, 3].map((number) => nodeLayout("/c", 34200, number));
      expect(layouts.map(({ sqlPort, groupPort, istPort, sstPort }) => [sqlPort, groupPort, istPort, sstPort])).to.deep.equal([
        [34200, 34201, 34202, 34203],
        [34210, 34211, 34212, 34213],
        [34220, 34221, 34222, 34223],
      ]);
      expect(new Set(layouts.map((layout) => layout.dataDir)).size).to.equal(3);
      const config = nodeConfig(layouts[1], "test", layouts);
      expect(config).to.include("port=34210\n");
      expect(config).to.include("wsrep_cluster_address=gcomm://127.0.0.1:34201,127.0.0.1:34211,127.0.0.1:34221\n");
      expect(config).to.include('wsrep_provider_options="base_port=34211;ist.recv_addr=127.0.0.1:34212;gcache.size=32M"');
      expect(config).to.include("wsrep_sst_receive_address=127.0.0.1:34213\n");
      expect(config).to.include("innodb_flush_log_at_trx_commit=1\n");
    });
  });

  describe("parseClusterArgs", () => {
    it("starts 3 nodes on the default base port in a directory named after it", () => {
      expect(parseClusterArgs(["start"])).to.deep.equal({
        help: false,
        action: "start",
        dir: join(tmpdir(), `mealplan-galera-${DEFAULT_BASE_PORT}`),
        basePort: DEFAULT_BASE_PORT,
        nodes: 3,
      });
    });

    it("reads the node of kill and restart, and leaves the base port to the directory when not given", () => {
      expect(parseClusterArgs(["kill", "2", "--dir=/c"])).to.deep.equal({
        help: false,
        action: "kill",
        dir: "/c",
        basePort: undefined,
        node: 2,
      });
      expect(parseClusterArgs(["restart", "3", "--base-port=35000"])).to.include({ node: 3, basePort: 35000 });
      expect(parseClusterArgs(["stop", "--keep-data"])).to.include({ action: "stop", keepData: true });
    });

    it("refuses what it cannot run, naming the problem", () => {
      for (const [argv, message] of [
        [["begin"], "unknown command begin"],
        [["kill"], "kill needs a node number"],
        [["kill", "x"], "kill=x"],
        [["status", "2"], "unexpected 2"],
        [["start", "--base-port=80"], "--base-port=80"],
        [["stop", "--nodes=5"], "--nodes goes with start only"],
        [["start", "--dir"], "malformed option --dir"],
      ] as const) {
        expect(() => parseClusterArgs([...argv]), argv.join(" "))
          .to.throw(UsageError)
          .with.property("message")
          .that.includes(message);
      }
    });

    it("recognizes --help, and no arguments at all", () => {
      expect(parseClusterArgs(["--help"])).to.deep.equal({ help: true });
      expect(parseClusterArgs([])).to.deep.equal({ help: true });
    });
  });
});
