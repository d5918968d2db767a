import { IConstruct } from "constructs";

/** A rule a reviewer accepted not to apply here, and why. */
export interface RuleSuppression {
  readonly id: string;
  readonly reason: string;
}

const METADATA_TYPE = "lab-rules/suppression";
/** Reasons shorter than this say nothing a reviewer can check. */
const MIN_REASON_LENGTH = 20;

/**
 * Turns a rule off for a construct and everything in it, also what is added to it later. The
 * reason is required; `LabRulePack` writes it into each affected resource's `//` metadata in the
 * synthesized JSON, so a reviewer sees every exception next to the resource it concerns.
 */
export function suppressRule(scope: IConstruct, id: string, reason: string): void {
  if (!/^LAB-[A-Z-]+$/.test(id)) {
    throw new Error(`Cannot suppress "${id}" on ${scope.node.path}: rule ids look like LAB-CLUSTER-ACCESS-MODE.`);
  }
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `Suppressing ${id} on ${scope.node.path} needs a reason a reviewer can check (at least ${MIN_REASON_LENGTH} characters), got ${JSON.stringify(reason)}.`,
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
