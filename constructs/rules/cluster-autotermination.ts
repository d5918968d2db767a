import { AUTOTERMINATION_RANGE } from "../../lab/catalog/limits";
import { LabRule, NOT_APPLICABLE, isReference, nonCompliant } from "./rule";

/** An idle all-purpose cluster bills by the hour until someone stops it; labs are forgotten. */
export function clusterAutoterminationRule(maxMinutes: number): LabRule {
  return {
    id: "LAB-CLUSTER-AUTOTERMINATION",
    rationale: `an idle cluster keeps billing VMs and DBUs; it must stop by itself within ${maxMinutes} minutes.`,
    level: "error",
    fix: `set autotermination_minutes between ${AUTOTERMINATION_RANGE.min} and ${maxMinutes} (LAB_AUTOTERMINATION_MINUTES).`,
    check(subject) {
      if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
      const minutes = subject.config.autotermination_minutes;
      if (isReference(minutes))
        return nonCompliant("autotermination_minutes is only known at apply time, so it cannot be checked.");
      if (minutes === undefined || minutes === 0)
        return nonCompliant("auto-termination is off (autotermination_minutes is unset or 0).");
      if (typeof minutes === "number" && minutes > maxMinutes) {
        return nonCompliant(`autotermination_minutes is ${minutes}, more than the ${maxMinutes}-minute limit.`);
      }
      return nonCompliant();
    },
  };
}
