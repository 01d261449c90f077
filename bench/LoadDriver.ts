import type { LoadJob } from "./loadProtocol.js";

/** What a load client repeats: one service call, or the database or transport work a ceiling stands for. */
export interface LoadDriver {
  /** One unit of work for loop `loop`; resolves with how many times it had to start over. */
  call(loop: number): Promise<number>;
  close(): Promise<void>;
}

export type LoadDriverFactory = (job: LoadJob) => Promise<LoadDriver>;

export function requireTarget(address: string | undefined, name: string): string {
  if (address === undefined) throw new Error(`this driver needs the ${name} target`);
  return address;
}
