export { LabRulePack } from "./lab-rule-pack";
export type { LabRulePackProps } from "./lab-rule-pack";
export { SuppressionError, suppressRule } from "./suppressions";
export type { RuleSuppression } from "./suppressions";
export type { LabRule, RuleLevel, RuleOutcome, RuleSubject } from "./rule";
export { PolicyError } from "./policy-error";
