import { Annotations, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { clusterAccessModeRule } from "./cluster-access-mode";
import { clusterAutoterminationRule } from "./cluster-autotermination";
import { clusterLtsRuntimeRule } from "./cluster-lts-runtime";
import { clusterSpotDriverRule } from "./cluster-spot-driver";
import { noSecretsRule } from "./no-secrets";
import { pinnedProvidersRule } from "./pinned-providers";
import { requiredTagsRule } from "./required-tags";
import { LabRule, RuleSubject } from "./rule";
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
 * Errors are added as error annotations, which stop `cdktf synth`; warnings are printed.
 */
export class LabRulePack implements IAspect {
  public readonly rules: readonly LabRule[];

  constructor(props: LabRulePackProps) {
    this.rules = [
      clusterAutoterminationRule(props.maxAutoterminationMinutes ?? 240),
      clusterAccessModeRule,
      clusterLtsRuntimeRule,
      clusterSpotDriverRule,
      workspaceSecureConnectivityRule,
      workspacePublicAccessRule,
      requiredTagsRule(props.requiredTags),
      pinnedProvidersRule,
      noSecretsRule,
      sensitiveOutputsRule,
    ];
  }

  /** Each stack's Terraform JSON, computed once: rules read values as they will be written. */
  private readonly stackJson = new WeakMap<TerraformStack, Record<string, unknown>>();

  public visit(node: IConstruct): void {
    const subject = this.subjectOf(node);
    if (!subject) return;
    const suppressed = suppressionsOf(node);
    for (const s of suppressed) {
      if (!this.rules.some((r) => r.id === s.id)) {
        Annotations.of(node).addError(`A suppression names ${s.id}, which is not a rule of this pack: ${this.rules.map((r) => r.id).join(", ")}.`);
      }
    }
    for (const rule of this.rules) {
      const outcome = rule.check(subject);
      if (outcome.status !== "non-compliant" || suppressed.some((s) => s.id === rule.id)) continue;
      for (const finding of outcome.findings) {
        const message = `[${rule.id}] ${finding} Why: ${rule.rationale} Fix: ${rule.fix}`;
        if (rule.level === "error") Annotations.of(node).addError(message);
        else Annotations.of(node).addWarning(message);
      }
    }
  }

  private jsonOf(stack: TerraformStack): Record<string, unknown> {
    let json = this.stackJson.get(stack);
    if (!json) {
      json = stack.toTerraform() as Record<string, unknown>;
      this.stackJson.set(stack, json);
    }
    return json;
  }

  private subjectOf(node: IConstruct): RuleSubject | undefined {
    if (TerraformStack.isStack(node)) return { kind: "stack", json: this.jsonOf(node) };
    if (TerraformResource.isTerraformResource(node)) {
      const resources = this.jsonOf(TerraformStack.of(node)).resource as
        | Record<string, Record<string, Record<string, unknown>>>
        | undefined;
      const config = resources?.[node.terraformResourceType]?.[node.friendlyUniqueId];
      return config && { kind: "resource", type: node.terraformResourceType, config, resource: node };
    }
    return undefined;
  }
}
