import { invalidArgument } from "../errors/DomainError.js";
import { quoteInput } from "../errors/quoteInput.js";

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
    // The first unknown path is enough to act on, and keeps the message bounded however many were sent.
    const more = unknown.length > 1 ? ` and ${unknown.length - 1} more` : "";
    throw invalidArgument([
      {
        field: "update_mask",
        description: `cannot update ${quoteInput(unknown[0])}${more}; updatable: ${updatable.join(", ")}`,
      },
    ]);
  }
  return [...new Set(paths as Field[])];
}
