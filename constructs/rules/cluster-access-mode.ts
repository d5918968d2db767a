import {
  LabRule,
  NOT_APPLICABLE,
  allowedValues,
  compliant,
  isReference,
  literal,
  nonCompliant,
  outcomeOf,
  policyDefinition,
} from "./rule";

/** Dedicated (single user) and standard (user isolation) modes, old and new names. */
const ISOLATED_MODES = [
  "SINGLE_USER",
  "USER_ISOLATION",
  "DATA_SECURITY_MODE_DEDICATED",
  "DATA_SECURITY_MODE_STANDARD",
  "DATA_SECURITY_MODE_AUTO",
];

export const clusterAccessModeRule: LabRule = {
  id: "LAB-CLUSTER-ACCESS-MODE",
  rationale:
    "a no-isolation cluster (NONE or a legacy mode) lets every user act as every other and bypasses Unity Catalog.",
  level: "error",
  fix: 'set data_security_mode = "SINGLE_USER" (dedicated, with single_user_name) or "USER_ISOLATION" (standard).',
  check(subject) {
    const policy = policyDefinition(subject);
    if (policy) {
      if ("unreadable" in policy) return nonCompliant(policy.unreadable);
      const allowed = allowedValues(policy.rules.data_security_mode);
      if (!allowed)
        return nonCompliant("the policy leaves data_security_mode open, so its clusters may run without isolation.");
      const open = allowed.filter((mode) => !ISOLATED_MODES.includes(String(mode)));
      return outcomeOf(
        open.map((mode) => `the policy allows data_security_mode ${String(mode)}, a no-isolation mode.`),
      );
    }
    if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
    const mode = literal<string>(subject.config.data_security_mode);
    if (subject.config.data_security_mode === undefined)
      return nonCompliant("data_security_mode is not set, which means no isolation.");
    if (isReference(subject.config.data_security_mode)) {
      return nonCompliant("data_security_mode is only known at apply time, so the isolation cannot be checked.");
    }
    if (mode !== undefined && !ISOLATED_MODES.includes(mode))
      return nonCompliant(`data_security_mode is ${mode}, a no-isolation mode.`);
    return compliant();
  },
};
