import type { Bench, LoadSpec, WorkloadRow } from "./Workload.js";

export interface RowPlan {
  id: string;
  name: string;
  /** Label of the service measurement; the ceiling's adds ", raw SQL". */
  label: string;
  /** The service driver; its database ceiling is the driver of the same name under "sql:". */
  spec: LoadSpec;
}

/** The usual row: the service, raw SQL doing the same work, and the echo server, one after the other. */
export async function measureAgainstCeilings(bench: Bench, { id, name, label, spec }: RowPlan): Promise<WorkloadRow> {
  const [service] = await bench.measure(label, [spec]);
  const database = await bench.measureCeiling(`${label}, raw SQL`, { ...spec, driver: `sql:${spec.driver}` });
  return { id, name, service: service, transport: await bench.transportCeiling(), database, notes: [] };
}
