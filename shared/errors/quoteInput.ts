/** How much of a caller's value an error message or log line may quote. */
export const MAX_QUOTED_CHARACTERS = 64;

/**
 * A caller's value as an error message quotes it: JSON-quoted, cut to
 * MAX_QUOTED_CHARACTERS with an ellipsis and the original length. Messages and
 * details travel in HTTP/2 trailers, which clients and proxies cap at 8-16 KB;
 * echoing a large value whole broke the caller's connection for every call on it.
 */
export function quoteInput(value: string): string {
  const characters = [...value];
  if (characters.length <= MAX_QUOTED_CHARACTERS) return JSON.stringify(value);
  const head = JSON.stringify(characters.slice(0, MAX_QUOTED_CHARACTERS).join("")).slice(0, -1);
  return `${head}…" (${characters.length} characters)`;
}
