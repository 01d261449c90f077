import type { status } from "@grpc/grpc-js";
import type { MealplanError } from "@mealplan/client";

/** A failed call as the history records it. */
export interface RecordedError {
  code: status;
  codeName: string;
  reason?: string;
  message: string;
}

export function recordedError(error: MealplanError): RecordedError {
  return { code: error.code, codeName: error.codeName, reason: error.reason, message: error.message };
}
