/** InnoDB errors after which the whole transaction should run again. */
const RETRYABLE_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK: the transaction was rolled back (on Galera also a failed certification or a brute-force abort)
  1205, // ER_LOCK_WAIT_TIMEOUT: we roll back ourselves before retrying
  1020, // ER_CHECKREAD: MariaDB innodb_snapshot_isolation, handled like a deadlock
]);

/** Errors that mean the database cannot be reached or is saturated, not that the request is wrong. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
]);

/**
 * Errors that mean the node itself is gone or may not serve: the connection
 * broke or was refused, the server is shutting down, or (Galera) the node is
 * not part of the primary component: error 1047, "WSREP has not yet prepared
 * node for application use". mysql2 marks every error that leaves a
 * connection unusable as fatal, among them "Can't add new command when
 * connection is in closed state" for a connection that broke while checked
 * out. The service then moves to its next node.
 * ER_CON_COUNT_ERROR is not one: a node out of connections is busy, not gone.
 */
const NODE_FAILURE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "ER_SERVER_SHUTDOWN",
]);
const WSREP_NOT_READY_ERRNO = 1047;

interface DriverErrorShape {
  errno?: unknown;
  code?: unknown;
  message?: unknown;
  fatal?: unknown;
}

function asDriverError(error: unknown): DriverErrorShape {
  return typeof error === "object" && error !== null ? error : {};
}

/** The server's error number when the error means "run the transaction again", else undefined. */
export function retryableLockErrno(error: unknown): number | undefined {
  const { errno } = asDriverError(error);
  return typeof errno === "number" && RETRYABLE_ERRNOS.has(errno) ? errno : undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = asDriverError(error);
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  // mysql2's pool rejects with a bare Error once its bounded queue is full.
  return message === "Queue limit reached.";
}

export function isNodeFailure(error: unknown): boolean {
  const { code, errno, fatal } = asDriverError(error);
  return (typeof code === "string" && NODE_FAILURE_CODES.has(code)) || errno === WSREP_NOT_READY_ERRNO || fatal === true;
}

/** A short name for what went wrong with a node, for messages and logs. */
export function describeDriverError(error: unknown): string {
  const { code, errno, message } = asDriverError(error);
  if (typeof code === "string") return typeof errno === "number" ? `${code} (${errno})` : code;
  return typeof message === "string" ? message : String(error);
}
