import { UserError } from "../lab/errors";

/** Props a construct cannot build from, all of them at once, naming the construct and its path. */
export class ValidationError extends UserError {
  constructor(
    /** The construct's path in the app, e.g. `dp090-ddl/cluster`. */
    public readonly path: string,
    /** What is wrong, one entry per broken rule (or list item). */
    public readonly problems: readonly string[],
    /** The construct's class, e.g. `MlCluster`. */
    public readonly construct: string,
  ) {
    super(`Invalid ${construct} props at ${path}:\n  - ${problems.join("\n  - ")}`);
  }
}
