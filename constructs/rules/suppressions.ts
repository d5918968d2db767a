import { IConstruct } from "constructs";
import { UserError } from "../../lab/errors";

/** A rule a reviewer accepted not to apply here, and why. */
export interface RuleSuppression {
  readonly id: string;
  readonly reason: string;
}

const METADATA_TYPE = "lab-rules/suppression";
/** Reasons shorter than this say nothing a reviewer can check. */
const MIN_REASON_LENGTH = 20;

/** A suppression the code asks for that the pack cannot accept: a malformed rule id or no real reason. */
export class SuppressionError extends UserError {
  constructor(
    /** The construct's path. */
    public readonly path: string,
    /** The rule id as given. */
    public readonly ruleId: string,
    /** What is wrong with the suppression, as the rest of a sentence ("needs a reason…"). */
    public readonly problem: string,
  ) {
    super(`Suppressing ${ruleId} on ${path} ${problem}`);
  }
}

/**
 * Turns a rule off for a construct and everything in it, also what is added to it later. The
 * reason is required; `LabRulePack` writes it into each affected resource's `//` metadata in the
 * synthesized JSON, so a reviewer sees every exception next to the resource it concerns.
 */
export function suppressRule(scope: IConstruct, id: string, reason: string): void {
  if (!/^LAB-[A-Z-]+$/.test(id)) {
    throw new SuppressionError(scope.node.path, id, "names no rule: rule ids look like LAB-CLUSTER-ACCESS-MODE.");
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new SuppressionError(
      scope.node.path,
      id,
      `needs a reason a reviewer can check (at least ${MIN_REASON_LENGTH} characters), got ${JSON.stringify(reason)}.`,
    );
  }
  scope.node.addMetadata(METADATA_TYPE, { id, reason: reason.trim() });
}

/** Suppressions on a construct and on all its ancestors. */
export function suppressionsOf(node: IConstruct): RuleSuppression[] {
  return node.node.scopes.flatMap((scope) =>
    scope.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => m.data as RuleSuppression),
  );
}
