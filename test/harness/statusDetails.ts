import type { ServiceError } from "@grpc/grpc-js";
import { BadRequest, ErrorInfo } from "../../gen/google/rpc/error_details.js";
import { Status } from "../../gen/google/rpc/status.js";

export interface DecodedStatus {
  code: number;
  message: string;
  errorInfo?: ErrorInfo;
  badRequest?: BadRequest;
}

/** What a client learns from a failed call, decoded from the google.rpc.Status trailer. */
export function decodeStatus(error: ServiceError): DecodedStatus {
  const [raw] = error.metadata?.get("grpc-status-details-bin") ?? [];
  const decoded: DecodedStatus = { code: error.code, message: error.details };
  if (!raw) return decoded;
  for (const detail of Status.decode(raw as Buffer).details) {
    if (detail.typeUrl.endsWith("/google.rpc.ErrorInfo")) decoded.errorInfo = ErrorInfo.decode(detail.value);
    if (detail.typeUrl.endsWith("/google.rpc.BadRequest")) decoded.badRequest = BadRequest.decode(detail.value);
  }
  return decoded;
}

/** The status a call failed with; fails the test if the call succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<DecodedStatus> {
  try {
    await call;
  } catch (error) {
    return decodeStatus(error as ServiceError);
  }
  throw new Error("the call succeeded but was expected to fail");
}
