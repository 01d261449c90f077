import { DomainError } from "../errors/DomainError.js";

/** Whether the work a failed node was doing may have committed. */
export type CommitOutcome = "not committed" | "unknown";

/**
 * The database node a statement ran on failed under it (NodeRouter has moved
 * on to the next node). Work that never reached COMMIT did not happen, and
 * runTransaction runs it again on the next node; a failure during COMMIT
 * leaves the outcome unknown, and the caller is told so.
 */
export class NodeFailedError extends DomainError {
  constructor(
    readonly node: string,
    readonly outcome: CommitOutcome,
    problem: string,
  ) {
    super(
      "UNAVAILABLE",
      outcome === "unknown"
        ? `the database node failed during COMMIT (${problem}): the change may or may not have been made; read it back before retrying`
        : `the database node failed (${problem}); the service has moved to another node: retry the request`,
      { reason: outcome === "unknown" ? "COMMIT_OUTCOME_UNKNOWN" : "DATABASE_NODE_FAILED", metadata: { node } },
    );
    this.name = "NodeFailedError";
  }
}
