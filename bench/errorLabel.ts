import { status } from "@grpc/grpc-js";

/** How a failed call is counted: its gRPC status name, or the database driver's error code. */
export function errorLabel(error: unknown): string {
  const { code } = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown };
  if (typeof code === "number" && status[code] !== undefined) return status[code];
  if (typeof code === "string") return code;
  return "CLIENT_ERROR";
}
