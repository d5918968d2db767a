import { SUPPORTED_LTS_VERSIONS, horovodRuntimeKey, parseRuntimeKey } from "../../lab/catalog/runtimes";
import { LabRule, NOT_APPLICABLE, allowedValues, isReference, nonCompliant, outcomeOf, policyDefinition } from "./rule";

export const clusterLtsRuntimeRule: LabRule = {
  id: "LAB-CLUSTER-LTS-RUNTIME",
  rationale:
    "a runtime without long-term support (or past it) loses fixes within months, and the lab needs an ML runtime.",
  level: "warning",
  mirrors: "KICS 5a627dfa-a4dd-4020-a4c6-5f3caf4abcd6 (Check use no LTS Spark Version)",
  fix: `use a supported LTS ML runtime such as ${horovodRuntimeKey("cpu")} (supported LTS: ${SUPPORTED_LTS_VERSIONS.join(", ")}).`,
  check(subject) {
    const policy = policyDefinition(subject);
    if (policy) {
      if ("unreadable" in policy) return nonCompliant(policy.unreadable);
      const allowed = allowedValues(policy.rules.spark_version);
      if (!allowed) return nonCompliant("the policy leaves spark_version open, so its clusters may run any runtime.");
      return outcomeOf(allowed.flatMap((key) => runtimeFindings(key).map((f) => `the policy allows ${f}`)));
    }
    if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
    const key = subject.config.spark_version;
    if (isReference(key))
      return nonCompliant("spark_version is only known at apply time, so whether it is LTS cannot be checked.");
    return outcomeOf(runtimeFindings(key));
  },
};

/** What is wrong with a runtime key for the lab: not LTS, not ML, not a key at all. */
function runtimeFindings(key: unknown): string[] {
  const runtime = typeof key === "string" ? parseRuntimeKey(key) : undefined;
  if (!runtime) return [`spark_version ${JSON.stringify(key)} is not a runtime key like 15.4.x-cpu-ml-scala2.12.`];
  const findings: string[] = [];
  if (!SUPPORTED_LTS_VERSIONS.includes(runtime.version))
    findings.push(`spark_version ${runtime.key} is not a supported long-term-support runtime.`);
  if (!runtime.ml) findings.push(`spark_version ${runtime.key} is not an ML runtime.`);
  return findings;
}
