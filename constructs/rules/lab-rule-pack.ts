import { Annotations, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { DEFAULT_MAX_AUTOTERMINATION_MINUTES } from "../../lab/catalog/limits";
import { classBudgetRule } from "./class-budget";
import { clusterAccessModeRule } from "./cluster-access-mode";
import { clusterAutoterminationRule } from "./cluster-autotermination";
import { clusterLtsRuntimeRule } from "./cluster-lts-runtime";
import { clusterSpotDriverRule } from "./cluster-spot-driver";
import { noSecretsRule } from "./no-secrets";
import { pinnedProvidersRule } from "./pinned-providers";
import { requiredTagsRule } from "./required-tags";
import { LabRule, RuleOutcome, RuleSubject, nonCompliant } from "./rule";
import { sensitiveOutputsRule } from "./sensitive-outputs";
import { suppressionsOf } from "./suppressions";
import { workspacePublicAccessRule } from "./workspace-public-access";
import { workspaceSecureConnectivityRule } from "./workspace-secure-connectivity";

export interface LabRulePackProps {
  /** Tags every taggable Azure resource and the cluster must carry. */
  readonly requiredTags: Readonly<Record<string, string>>;
  /**
   * Longest auto-termination accepted, in minutes.
   * @default 240
   */
  readonly maxAutoterminationMinutes?: number;
}

/**
 * The lab's policy rules as a cdktf Aspect: `Aspects.of(stack).add(new LabRulePack(...))`.
 * Visiting only records what is in scope; the rules run as a validation of the stack, after every
 * aspect has run, so they judge the values that will really be written. Errors are added as error
 * annotations, which stop `cdktf synth`; warnings are printed.
 */
export class LabRulePack implements IAspect {
  public readonly rules: readonly LabRule[];
  private readonly visited = new Map<TerraformStack, IConstruct[]>();

  constructor(props: LabRulePackProps) {
    this.rules = [
      clusterAutoterminationRule(props.maxAutoterminationMinutes ?? DEFAULT_MAX_AUTOTERMINATION_MINUTES),
      clusterAccessModeRule,
      clusterLtsRuntimeRule,
      clusterSpotDriverRule,
      workspaceSecureConnectivityRule,
      workspacePublicAccessRule,
      requiredTagsRule(props.requiredTags),
      pinnedProvidersRule,
      noSecretsRule,
      sensitiveOutputsRule,
      classBudgetRule,
    ];
  }

  public visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    let nodes = this.visited.get(stack);
    if (!nodes) {
      nodes = [];
      this.visited.set(stack, nodes);
      stack.node.addValidation({ validate: () => this.check(stack) });
    }
    nodes.push(node);
  }

  private check(stack: TerraformStack): string[] {
    const json = stack.toTerraform() as Record<string, unknown>;
    for (const node of this.visited.get(stack) ?? []) {
      const subject = subjectOf(node, json);
      if (subject) this.apply(node, subject);
    }
    // Findings are annotations, not validation errors, so warnings can be told from errors.
    return [];
  }

  private apply(node: IConstruct, subject: RuleSubject): void {
    const suppressed = suppressionsOf(node);
    // The one place suppressions reach the JSON: every covered resource, whenever it was added.
    if (suppressed.length > 0 && TerraformResource.isTerraformResource(node))
      node.addOverride("//.suppressed_rules", suppressed);
    for (const s of suppressed) {
      if (!this.rules.some((r) => r.id === s.id)) {
        Annotations.of(node).addError(
          `A suppression names ${s.id}, which is not a rule of this pack: ${this.rules.map((r) => r.id).join(", ")}.`,
        );
      }
    }
    for (const rule of this.rules) {
      const outcome = checkSafely(rule, subject);
      if (outcome.status !== "non-compliant" || suppressed.some((s) => s.id === rule.id)) continue;
      for (const finding of outcome.findings) {
        const message = `[${rule.id}] ${finding} Why: ${rule.rationale} Fix: ${rule.fix}`;
        if (rule.level === "error") Annotations.of(node).addError(message);
        else Annotations.of(node).addWarning(message);
      }
    }
  }
}

/**
 * A rule that throws is a finding of that rule (as cdk-nag reports a failed rule), not a crash of
 * synth that hides every other finding. At the rule's own level: an error rule that could not
 * judge a resource does not let it through.
 */
function checkSafely(rule: LabRule, subject: RuleSubject): RuleOutcome {
  try {
    return rule.check(subject);
  } catch (e) {
    return nonCompliant(
      `the rule could not check this (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}); this is a bug of the rule, please report it.`,
    );
  }
}

function subjectOf(node: IConstruct, json: Record<string, unknown>): RuleSubject | undefined {
  if (TerraformStack.isStack(node)) return { kind: "stack", json };
  if (TerraformResource.isTerraformResource(node)) {
    const resources = json.resource as Record<string, Record<string, Record<string, unknown>>> | undefined;
    const config = resources?.[node.terraformResourceType]?.[node.friendlyUniqueId];
    return config && { kind: "resource", type: node.terraformResourceType, config, resource: node, stack: json };
  }
  return undefined;
}
