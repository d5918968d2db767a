import { AUTOTERMINATION_RANGE } from "../../lab/catalog/limits";
import { LabRule, NOT_APPLICABLE, compliant, isReference, nonCompliant, policyDefinition } from "./rule";

/** An idle all-purpose cluster bills by the hour until someone stops it; labs are forgotten. */
export function clusterAutoterminationRule(maxMinutes: number): LabRule {
  return {
    id: "LAB-CLUSTER-AUTOTERMINATION",
    rationale: `an idle cluster keeps billing VMs and DBUs; it must stop by itself within ${maxMinutes} minutes.`,
    level: "error",
    fix: `set autotermination_minutes between ${AUTOTERMINATION_RANGE.min} and ${maxMinutes} (LAB_AUTOTERMINATION_MINUTES).`,
    check(subject) {
      const policy = policyDefinition(subject);
      if (policy) {
        if ("unreadable" in policy) return nonCompliant(policy.unreadable);
        const rule = policy.rules.autotermination_minutes;
        const cap = rule?.type === "fixed" ? Number(rule.value) : rule?.type === "range" ? rule.maxValue : undefined;
        if (cap === undefined || !(cap >= AUTOTERMINATION_RANGE.min)) {
          return nonCompliant(
            "the policy does not fix or cap autotermination_minutes, so its clusters may never stop.",
          );
        }
        if (cap > maxMinutes)
          return nonCompliant(
            `the policy lets autotermination_minutes reach ${cap}, more than the ${maxMinutes}-minute limit.`,
          );
        return compliant();
      }
      if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
      const minutes = subject.config.autotermination_minutes;
      if (isReference(minutes))
        return nonCompliant("autotermination_minutes is only known at apply time, so it cannot be checked.");
      if (minutes === undefined || minutes === 0)
        return nonCompliant("auto-termination is off (autotermination_minutes is unset or 0).");
      if (typeof minutes === "number" && minutes > maxMinutes) {
        return nonCompliant(`autotermination_minutes is ${minutes}, more than the ${maxMinutes}-minute limit.`);
      }
      return compliant();
    },
  };
}
