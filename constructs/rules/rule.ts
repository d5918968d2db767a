import { TerraformResource } from "cdktf";

/** `error` blocks synthesis; `warning` is printed and synthesis goes on. */
export type RuleLevel = "error" | "warning";

/** One resource as it will be written to the Terraform JSON (snake_case keys, references as `${…}`). */
export interface ResourceSubject {
  readonly kind: "resource";
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly resource: TerraformResource;
  /** The whole stack's Terraform JSON, for what a resource's compliance depends on elsewhere. */
  readonly stack: Readonly<Record<string, unknown>>;
}

/** The whole stack's Terraform JSON, for rules about providers, outputs or every value. */
export interface StackSubject {
  readonly kind: "stack";
  readonly json: Readonly<Record<string, unknown>>;
}

export type RuleSubject = ResourceSubject | StackSubject;

/** What a rule found: nothing to say, all good, or the problems. */
export type RuleOutcome =
  | { readonly status: "not-applicable" }
  | { readonly status: "compliant" }
  | { readonly status: "non-compliant"; readonly findings: readonly string[] };

export const NOT_APPLICABLE: RuleOutcome = { status: "not-applicable" };
export const COMPLIANT: RuleOutcome = { status: "compliant" };

/** The subject meets the rule. */
export function compliant(): RuleOutcome {
  return COMPLIANT;
}

/** The subject breaks the rule: one finding at least, each a sentence naming what is wrong. */
export function nonCompliant(finding: string, ...more: string[]): RuleOutcome {
  return { status: "non-compliant", findings: [finding, ...more] };
}

/** Compliant when a list of findings is empty, non-compliant with them otherwise. */
export function outcomeOf(findings: readonly string[]): RuleOutcome {
  return findings.length > 0 ? { status: "non-compliant", findings } : COMPLIANT;
}

/** A cross-cutting check of the synthesized stack, in the manner of a cdk-nag rule. */
export interface LabRule {
  /** Stable id, used in messages and suppressions: `LAB-…`. */
  readonly id: string;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  readonly level: RuleLevel;
  /** The scanner rule it mirrors, where one exists (checkov / KICS id). */
  readonly mirrors?: string;
  /** How to comply. */
  readonly fix: string;
  check(subject: RuleSubject): RuleOutcome;
}

/** A literal value, or undefined for a missing one or a reference that is only known at apply time. */
export function literal<T>(value: unknown): T | undefined {
  if (value === undefined || value === null || isReference(value)) return undefined;
  return value as T;
}

export function isReference(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** The single block of a nested attribute, whether synthesized as an object or a one-item list. */
export function block(value: unknown): Readonly<Record<string, unknown>> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item && typeof item === "object" ? (item as Record<string, unknown>) : undefined;
}

/** One attribute's rule in a cluster policy definition (Databricks policy definition language). */
export interface PolicyAttributeRule {
  readonly type?: string;
  readonly value?: unknown;
  readonly values?: readonly unknown[];
  readonly maxValue?: number;
}

/**
 * A cluster policy's definition, for rules that judge what clusters made with it may be:
 * `undefined` for any other subject (or a built-in policy's override), a finding when it cannot be read.
 */
export function policyDefinition(
  subject: RuleSubject,
): { readonly rules: Readonly<Record<string, PolicyAttributeRule>> } | { readonly unreadable: string } | undefined {
  if (subject.kind !== "resource" || subject.type !== "databricks_cluster_policy") return undefined;
  const definition = subject.config.definition;
  if (definition === undefined) return undefined;
  if (isReference(definition))
    return { unreadable: "the policy's definition is only known at apply time, so it cannot be checked." };
  try {
    const rules = JSON.parse(String(definition));
    if (rules && typeof rules === "object" && !Array.isArray(rules)) return { rules };
  } catch {
    // reported below
  }
  return { unreadable: "the policy's definition is not a JSON object." };
}

/** The values a policy lets through for an attribute: its fixed value or allow-list; undefined when open. */
export function allowedValues(rule: PolicyAttributeRule | undefined): readonly unknown[] | undefined {
  if (rule?.type === "fixed") return [rule.value];
  if (rule?.type === "allowlist") return rule.values ?? [];
  return undefined;
}
