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
  /**
   * `npm run validate` and `npm run e2e` only: what they need (Terraform, the providers from the
   * registry or a mirror) is not on this machine. Reported as skipped, never as passed.
   */
  CANNOT_RUN: 3,
} as const;

/**
 * How many problems of one kind a message lists before it counts the rest: a roster of a million
 * bad lines is told in a screenful, not in megabytes.
 */
export const MAX_LISTED = 20;

/** The first `max` items, and how many were left out. */
export function capped<T>(items: readonly T[], max: number = MAX_LISTED): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/** Items as a comma-separated list, the ones past `max` counted: "a, b, c and 7 more". */
export function listCapped(items: readonly string[], max: number = MAX_LISTED, separator = ", "): string {
  const { shown, more } = capped(items, max);
  return more > 0 ? `${shown.join(separator)} and ${more} more` : shown.join(separator);
}

/**
 * A message's first line, trimmed and shortened: for quoting a cause inside the project's own
 * sentence. It is shown, never interpreted.
 */
export function firstLine(text: string): string {
  return text.split("\n")[0].trim().slice(0, 200);
}
