// What a command may touch: its output streams, the environment and the
// working directory — passed in, so commands run in tests without a process.

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A mistake in the command line: exit 2 with a one-line message and the usage, nothing on stdout. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** A condition that stops the command (not a content problem): one line, exit `exitCode`. */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
