import { LabRule, NOT_APPLICABLE, block, compliant, literal, nonCompliant } from "./rule";

const SPOT = ["SPOT_AZURE", "SPOT_WITH_FALLBACK_AZURE"];

export const clusterSpotDriverRule: LabRule = {
  id: "LAB-CLUSTER-SPOT-DRIVER",
  rationale: "an evicted spot driver kills the whole cluster and the training run with it; only workers may be spot.",
  level: "error",
  mirrors: "KICS 38028698-e663-4ef7-aa92-773fef0ca86f (Check Databricks Cluster Azure Attribute Best Practices)",
  fix: "with spot availability set azure_attributes.first_on_demand = 1 (or more), or use ON_DEMAND_AZURE.",
  check(subject) {
    if (subject.kind !== "resource" || subject.type !== "databricks_cluster") return NOT_APPLICABLE;
    const azure = block(subject.config.azure_attributes);
    const availability = literal<string>(azure?.availability);
    if (!availability || !SPOT.includes(availability)) return compliant();
    const firstOnDemand = literal<number>(azure?.first_on_demand);
    if (firstOnDemand === undefined || firstOnDemand < 1) {
      return nonCompliant(
        `availability is ${availability} but first_on_demand is ${firstOnDemand ?? "unset"}: the driver may be a spot VM.`,
      );
    }
    return compliant();
  },
};
