/**
 * A client's value, quoted for an error message: at most `max` characters of it, then how long it was.
 * Inputs reach 100 KB (the body limit): an answer or a log line need only enough to recognise it.
 */
export function quoted(value: string, max = 100): string {
  const characters = [...value];
  return characters.length <= max ? `"${value}"` : `"${characters.slice(0, max).join("")}…" (${characters.length} characters)`;
}
