import { invalidArgument } from "../errors/DomainError.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const MAX_PAGE_TOKEN_LENGTH = 512;

/** AIP-158: 0 means the default, too large is coerced down, negative is an error. */
export function readPageSize(pageSize: number): number {
  if (pageSize < 0) throw invalidArgument([{ field: "page_size", description: "must not be negative" }]);
  return pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
}

interface PageTokenBody<Position> {
  /** Where the next page starts. */
  p: Position;
  /** The request parameters the token is valid for. */
  q: string;
}

/**
 * Page tokens carry the position after the last item returned and the request
 * they belong to, so a token replayed with other parameters is refused.
 */
export function encodePageToken<Position>(position: Position, query: string): string {
  const body: PageTokenBody<Position> = { p: position, q: query };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

export function decodePageToken<Position>(
  token: string,
  query: string,
  isPosition: (value: unknown) => value is Position,
): Position | undefined {
  if (token === "") return undefined;
  // Tokens this service issues are a few dozen characters; a longer one is not worth decoding.
  if (token.length > MAX_PAGE_TOKEN_LENGTH) {
    throw invalidArgument([{ field: "page_token", description: "is not a token this service issued" }]);
  }
  let body: Partial<PageTokenBody<unknown>> | undefined;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<PageTokenBody<unknown>>;
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== "object" || !isPosition(body.p)) {
    throw invalidArgument([{ field: "page_token", description: "is not a token this service issued" }]);
  }
  if (body.q !== query) {
    throw invalidArgument([{ field: "page_token", description: "belongs to a request with other parameters" }]);
  }
  return body.p;
}
