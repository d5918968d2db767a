/**
 * A problem the person running a command can fix: a setting, a file, the network, a policy rule.
 * Every command prints its message as it is (no stack trace) and exits with `EXIT.USER_ERROR`;
 * anything else is a bug and keeps its stack (`EXIT.BUG`).
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Exit codes of every command of the project (synth, cost, preflight, ...). */
export const EXIT = {
  OK: 0,
  /** A `UserError`, or a check that blocks the deploy: the message says what to change. */
  USER_ERROR: 1,
  /** An unexpected error: please report it with the stack trace printed. */
  BUG: 2,
} as const;
