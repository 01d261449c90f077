import { invalidArgument } from "../errors/DomainError.js";

/**
 * AIP-134: the fields an update touches. An absent mask means every populated
 * field; "*" means every updatable field; anything else must name updatable fields.
 */
export function resolveUpdateMask<Field extends string>(
  paths: string[] | undefined,
  updatable: readonly Field[],
  isPopulated: (field: Field) => boolean,
): Field[] {
  if (paths === undefined) return updatable.filter(isPopulated);
  if (paths.length === 1 && paths[0] === "*") return [...updatable];
  const unknown = paths.filter((path) => !(updatable as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw invalidArgument([
      { field: "update_mask", description: `cannot update ${unknown.join(", ")}; updatable: ${updatable.join(", ")}` },
    ]);
  }
  return [...new Set(paths as Field[])];
}
