import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createFileRegistry, fromBinary, type DescMethod, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

/** The FileDescriptorSet `npm run generate` writes into @mealplan/client, which the servers' reflection serves too. */
export const MEALPLAN_DESCRIPTOR_SET = fileURLToPath(import.meta.resolve("@mealplan/client/descriptors/mealplan.binpb"));

export const GOALS_SERVICE = "mealplan.goals.v1.GoalsService";
export const MEALS_SERVICE = "mealplan.meals.v1.MealsService";

export function loadMealplanRegistry(path = MEALPLAN_DESCRIPTOR_SET): FileRegistry {
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(path)));
}

/** A unary method as the wire names it: `/package.Service/Method`. */
export interface FuzzedMethod {
  path: string;
  method: DescMethod;
}

/** Every method of the service the descriptor set declares, so a method added to the proto is fuzzed without a change here. */
export function methodsOf(registry: FileRegistry, serviceName: string): FuzzedMethod[] {
  const service = registry.getService(serviceName);
  if (!service) throw new Error(`${MEALPLAN_DESCRIPTOR_SET} declares no ${serviceName}`);
  return service.methods.map((method) => ({ path: `/${service.typeName}/${method.name}`, method }));
}
