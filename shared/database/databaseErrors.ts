/** InnoDB errors after which the whole transaction should run again. */
const RETRYABLE_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK: the transaction was rolled back (on Galera also a failed certification)
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

interface DriverErrorShape {
  errno?: unknown;
  code?: unknown;
  message?: unknown;
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
