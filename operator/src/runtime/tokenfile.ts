// A bearer token read from a file and re-read once it is a minute old. Bound service-account
// tokens are rotated by the kubelet (it rewrites the projected file well before expiry), so a
// token read once at start stops working after about an hour. client-go's cached file token
// source and client-node's FileAuth both re-read after 60 s; so do we.
import { readFileSync } from 'node:fs';

export const TOKEN_REREAD_MS = 60_000;

export function fileToken(
  file: string,
  now: () => number = Date.now,
  read: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): () => string {
  // Read at once, so a missing or unreadable file is a startup error, not a failing request.
  let token = read(file).trim();
  let readAt = now();
  return () => {
    if (now() - readAt >= TOKEN_REREAD_MS) {
      try {
        token = read(file).trim();
      } catch {
        // Keep the last token: the kubelet replaces the file atomically, so a failed read is
        // transient; the API server says 401 if the old token has really expired.
      }
      readAt = now();
    }
    return token;
  };
}
