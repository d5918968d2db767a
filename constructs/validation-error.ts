import { IConstruct } from "constructs";
import { UserError } from "../lab/errors";

/** Props a construct cannot build from, all of them at once, naming the construct's path. */
export class ValidationError extends UserError {
  constructor(
    /** The construct's path in the app, e.g. `dp090-ddl/cluster`. */
    public readonly path: string,
    public readonly problems: readonly string[],
    what: string,
  ) {
    super(`Invalid ${what} props at ${path}:\n  - ${problems.join("\n  - ")}`);
  }

  /** Throws when there are problems; a construct calls it before creating any resource. */
  public static throwIfAny(scope: IConstruct, what: string, problems: readonly string[]): void {
    if (problems.length > 0) throw new ValidationError(scope.node.path, problems, what);
  }
}
