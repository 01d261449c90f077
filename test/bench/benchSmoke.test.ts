import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";
import type { RowDataPacket } from "mysql2/promise";
import { openTestConnection } from "../harness/testDatabase.js";

const run = promisify(execFile);
const RESULTS = fileURLToPath(new URL("../../../bench/results/", import.meta.url));
const BENCH = fileURLToPath(new URL("../../bench/main.js", import.meta.url));

interface Measurement {
  calls: number;
  errors: Record<string, number>;
}

/** The benchmark end to end on a tiny catalog: it starts everything, measures, reports, and cleans up. */
describe("bench: a one-second run", function () {
  this.timeout(120_000);
  const output = `test-${process.pid}`;
  after(() => {
    for (const extension of ["json", "md"]) rmSync(`${RESULTS}${output}.${extension}`, { force: true });
  });

  it("measures GetGoal and the mix beside their ceilings, writes both reports, and gives the buffer pool back", async () => {
    const server = await openTestConnection();
    const poolSize = async () =>
      Number((await server.query<RowDataPacket[]>("SELECT @@innodb_buffer_pool_size AS size"))[0][0].size);
    const before = await poolSize();
    const wanted = before / 1024 / 1024 === 256 ? 384 : 256;
    await run(process.execPath, [
      BENCH,
      "--duration",
      "1",
      "--warmup",
      "1",
      "--catalog",
      "1000",
      "--workloads",
      "GetGoal,Mix",
      "--output",
      output,
      "--buffer-pool-mb",
      String(wanted),
    ]);
    expect(await poolSize(), "the server's buffer pool after the run").to.equal(before);
    await server.end();
    const report = JSON.parse(readFileSync(`${RESULTS}${output}.json`, "utf8")) as {
      rows: { id: string; service: { measurement: Measurement }; floor?: { measurement: Measurement } }[];
      peakRssMb: Record<string, number>;
      targets: unknown[];
      notes: string[];
    };
    expect(report.notes.join("\n")).to.contain(`innodb_buffer_pool_size was set to ${wanted} MB for the run`);
    expect(report.rows.map((row) => row.id)).to.deep.equal(["GetGoal", "Mix"]);
    for (const row of report.rows) {
      expect(row.service.measurement.calls).to.be.greaterThan(0);
      expect(row.service.measurement.errors).to.deep.equal({});
    }
    // The floor reads the goals the catalog seeded: a wrong database or a missing row would show as errors.
    const floor = report.rows[0].floor?.measurement;
    expect(floor?.calls, "calls of the grpc-js + mysql2 floor").to.be.greaterThan(0);
    expect(floor?.errors).to.deep.equal({});
    expect(report.peakRssMb.goals).to.be.greaterThan(0);
    expect(report.targets.length).to.be.greaterThan(0);
    expect(readFileSync(`${RESULTS}${output}.md`, "utf8")).to.contain("## Targets");
  });
});
