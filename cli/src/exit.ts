// Exit codes a script can branch on (docs/cli.md lists them). Every failure the plugin reports
// on purpose is a CliError carrying one of these; anything else is a bug or an I/O failure and
// exits with `failed`.

export const EXIT = {
  /** Done, or nothing to do because the object already is as asked (idempotent re-runs). */
  ok: 0,
  /** The API could not be reached or answered with an error (network, 401/403, 5xx). */
  failed: 1,
  /** Bad command line: unknown command or flag, missing NAME, malformed CONTAINER=IMAGE. */
  usage: 2,
  /** The BlueGreenService (or the named container, or the kube context) does not exist. */
  notFound: 3,
  /** Refused by a safety check (preview not ready, analysis failed, nothing to roll back to); see --force. */
  refused: 4,
  /** Another field manager that uses server-side apply (a GitOps agent) owns the field; see --force-conflicts. */
  conflict: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: its message is printed as is (no stack) and the process exits with `code`. */
export class CliError extends Error {
  readonly code: ExitCode;
  constructor(code: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
