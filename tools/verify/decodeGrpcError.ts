import { status } from "@grpc/grpc-js";
import { ErrorInfo } from "../../gen/google/rpc/error_details.js";
import { Status } from "../../gen/google/rpc/status.js";

export interface DecodedError {
  code: number;
  codeName: string;
  reason?: string;
  message: string;
}

interface GrpcErrorShape {
  code: number;
  details: string;
  metadata?: { get(key: string): unknown[] };
}

export function isGrpcError(error: unknown): error is GrpcErrorShape {
  return (
    typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "number" && "details" in error
  );
}

/** The ErrorInfo reason in the google.rpc.Status trailer, if the server sent one. */
function reasonOf(error: GrpcErrorShape): string | undefined {
  const [raw] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (!(raw instanceof Uint8Array)) return undefined;
  const info = Status.decode(raw).details.find((detail) => detail.typeUrl.endsWith("/google.rpc.ErrorInfo"));
  return info ? ErrorInfo.decode(info.value).reason : undefined;
}

export function decodeGrpcError(error: GrpcErrorShape): DecodedError {
  return {
    code: error.code,
    codeName: status[error.code] ?? `CODE_${error.code}`,
    reason: reasonOf(error),
    message: error.details,
  };
}
