import type { CallRecord } from "./History.js";

/** One thing a check found wrong. */
export interface Violation {
  customerId: string;
  /** Why the history breaks the guarantee, in a sentence. */
  explanation: string;
  /** The violating call first, then the calls that prove it wrong. */
  calls: CallRecord[];
}

export interface CheckResult {
  /** The anomaly the check looks for, as its table row names it. */
  title: string;
  /** The seed's anomaly cases this check catches. */
  seedCases: number[];
  /** Calls the check judged. */
  examined: number;
  /** Of those, the ones that overlapped a write they depend on; absent where no write matters. */
  concurrent?: number;
  /** Calls the check could not judge within its search bound. */
  undecided: number;
  violations: Violation[];
}
