// What a command may touch of the process, passed in so tests can run commands in-process.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTty: boolean;
  env: Record<string, string | undefined>;
  now(): number;
  /**
   * Resolves when the user asks to stop (SIGINT/SIGTERM): `get -w` ends cleanly then. Only a
   * command that calls it catches the signals; every other one dies of Ctrl-C as usual.
   */
  interrupted(): Promise<void>;
}
