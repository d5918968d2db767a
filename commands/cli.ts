import { EXIT, UserError } from "../lab/errors";

/**
 * Runs a command's `main` the way every command of the project ends: a `UserError` is printed as
 * its message and exits 1; anything else is a bug, printed with its stack, and exits 2. `main`
 * returns the exit code of a run that went through (preflight: 1 when a check blocks the deploy).
 */
export function runCommand(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? EXIT.OK;
    },
    (error: unknown) => {
      if (error instanceof UserError) {
        console.error(error.message);
        process.exitCode = EXIT.USER_ERROR;
      } else {
        console.error(error);
        process.exitCode = EXIT.BUG;
      }
    },
  );
}
