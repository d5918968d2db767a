import { LabRule, NOT_APPLICABLE, isReference, nonCompliant } from "./rule";

/**
 * Long-term-support Databricks Runtime versions still supported in 2026-11 (an LTS runtime gets
 * three years from release: 14.3 from 2024-02, 15.4 until 2027-08-19, 16.4, 17.3). 13.3 LTS and
 * older are past their end of support. Update this list as runtimes come and go.
 */
export const LTS_RUNTIMES: readonly string[] = ["14.3", "15.4", "16.4", "17.3"];

export const clusterLtsRuntimeRule: LabRule = {
  id: "LAB-CLUSTER-LTS-RUNTIME",
  rationale: "a runtime without long-term support (or past it) loses fixes within months, and the lab needs an ML runtime.",
  level: "warning",
  mirrors: "KICS 5a627dfa-a4dd-4020-a4c6-5f3caf4abcd6 (Check use no LTS Spark Version)",
  fix: `use a supported LTS ML runtime such as 15.4.x-cpu-ml-scala2.12 (supported LTS: ${LTS_RUNTIMES.join(", ")}).`,
  check(subject) {
    if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
    const key = subject.config.spark_version;
    if (isReference(key)) return nonCompliant("spark_version is only known at apply time, so whether it is LTS cannot be checked.");
    const m = typeof key === "string" ? /^(\d+\.\d+)\.x-(.*)$/.exec(key) : null;
    if (!m) return nonCompliant(`spark_version ${JSON.stringify(key)} is not a runtime key like 15.4.x-cpu-ml-scala2.12.`);
    const findings: string[] = [];
    if (!LTS_RUNTIMES.includes(m[1])) findings.push(`spark_version ${key} is not a supported long-term-support runtime.`);
    if (!/(^|-)ml-/.test(m[2])) findings.push(`spark_version ${key} is not an ML runtime.`);
    return nonCompliant(...findings);
  },
};
