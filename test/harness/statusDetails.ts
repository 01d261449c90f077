import { MealplanError } from "@mealplan/client";

/** The error a call failed with, as the client package decodes it; fails the test if the call succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<MealplanError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof MealplanError) return error;
    throw error;
  }
  throw new Error("the call succeeded but was expected to fail");
}
