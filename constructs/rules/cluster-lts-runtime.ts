import { LabRule, NOT_APPLICABLE, isReference, nonCompliant } from "./rule";

/**
 * Long-term-support Databricks Runtime versions (Databricks release notes, checked 2026-11). An
 * LTS runtime gets fixes for three years; others for six months.
 */
export const LTS_RUNTIMES: readonly string[] = ["9.1", "10.4", "11.3", "12.2", "13.3", "14.3", "15.4", "16.4", "17.3"];

export const clusterLtsRuntimeRule: LabRule = {
  id: "LAB-CLUSTER-LTS-RUNTIME",
  rationale: "a non-LTS runtime loses support within months, and the lab needs an ML runtime.",
  level: "warning",
  mirrors: "KICS 5a627dfa-a4dd-4020-a4c6-5f3caf4abcd6 (Check use no LTS Spark Version)",
  fix: `use an LTS ML runtime such as 15.4.x-cpu-ml-scala2.12 (LTS: ${LTS_RUNTIMES.join(", ")}).`,
  check(subject) {
    if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
    const key = subject.config.spark_version;
    if (isReference(key)) return nonCompliant("spark_version is only known at apply time, so whether it is LTS cannot be checked.");
    const m = typeof key === "string" ? /^(\d+\.\d+)\.x-(.*)$/.exec(key) : null;
    if (!m) return nonCompliant(`spark_version ${JSON.stringify(key)} is not a runtime key like 15.4.x-cpu-ml-scala2.12.`);
    const findings: string[] = [];
    if (!LTS_RUNTIMES.includes(m[1])) findings.push(`spark_version ${key} is not a long-term-support runtime.`);
    if (!/(^|-)ml-/.test(m[2])) findings.push(`spark_version ${key} is not an ML runtime.`);
    return nonCompliant(...findings);
  },
};
