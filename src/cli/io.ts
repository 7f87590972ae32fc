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
  readonly usage?: string;
  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** A condition that stops the command (not a content problem): one line, exit `exitCode`. */
export class FatalError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}
