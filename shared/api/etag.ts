import { invalidArgument } from "../errors/DomainError.js";
import { quoteInput } from "../errors/quoteInput.js";

/** Etags are the version behind a stable prefix, so they stay opaque yet cheap to check. */
export function etagOf(version: string): string {
  return `v${version}`;
}

const ETAG = /^v([1-9]\d{0,18})$/;

/** The version an etag names, or undefined when the caller sent none. */
export function versionFromEtag(etag: string | undefined, field: string): string | undefined {
  if (etag === undefined || etag === "") return undefined;
  const match = ETAG.exec(etag);
  if (!match) throw invalidArgument([{ field, description: `${quoteInput(etag)} is not an etag this service issued` }]);
  return match[1];
}
