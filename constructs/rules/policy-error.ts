import { AnnotationMetadataEntryType } from "cdktf";
import { IConstruct } from "constructs";
import { UserError } from "../../lab/errors";

/** The policy rules (or another aspect) found errors; synthesis stopped before writing the stack. */
export class PolicyError extends UserError {
  constructor(public readonly findings: readonly { path: string; message: string }[]) {
    super(
      [
        `Synthesis stopped: ${findings.length === 1 ? "1 error" : `${findings.length} errors`} in the stack (policy rules, see docs/security.md "Policy rules").`,
        ...findings.map((f) => `  [${f.path}] ${f.message}`),
      ].join("\n"),
    );
  }

  /** The error annotations in a scope and everything in it, or undefined when there are none. */
  public static of(scope: IConstruct): PolicyError | undefined {
    const findings = scope.node
      .findAll()
      .flatMap((node) =>
        node.node.metadata
          .filter((m) => m.type === AnnotationMetadataEntryType.ERROR)
          .map((m) => ({ path: node.node.path, message: String(m.data) })),
      );
    return findings.length > 0 ? new PolicyError(findings) : undefined;
  }
}
