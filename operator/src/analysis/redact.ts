// Credentials never reach a message: a provider's outcome messages end up in status, Events and
// logs, and a server may echo a request header back in its error page.

/** Values shorter than this are not redacted (they cannot be secrets and would mangle messages). */
const MIN_REDACTED_LENGTH = 4;

/**
 * A function that replaces every given value in a message with `<redacted>`: each value, plus
 * the credential after an auth scheme ("Bearer abc" -> "abc"), longest first so a value is
 * replaced whole before any part of it.
 */
export function redactorOf(values: Iterable<string>): (message: string) => string {
  const secrets = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    secrets.add(trimmed);
    const space = trimmed.indexOf(' ');
    if (space > 0) secrets.add(trimmed.slice(space + 1).trim());
  }
  const ordered = [...secrets].filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  return (message) => ordered.reduce((text, secret) => text.replaceAll(secret, '<redacted>'), message);
}
