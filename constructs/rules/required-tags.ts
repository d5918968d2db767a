import { LabRule, NOT_APPLICABLE, allowedValues, compliant, literal, nonCompliant, policyDefinition } from "./rule";

/** Every taggable Azure resource and the cluster (whose tags reach its VMs) carry the lab's tags. */
export function requiredTagsRule(required: Readonly<Record<string, string>>): LabRule {
  const wanted = Object.entries(required)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return {
    id: "LAB-TAGS",
    rationale: "tags tie every billed resource to its lab, for cost reports and for finding what to delete.",
    level: "error",
    fix: `tag the resource with ${wanted} (pass the stack's tags to the construct).`,
    check(subject) {
      const policy = policyDefinition(subject);
      if (policy) {
        if ("unreadable" in policy) return nonCompliant(policy.unreadable);
        const missing = Object.entries(required).filter(([k, v]) => {
          const allowed = allowedValues(policy.rules[`custom_tags.${k}`]);
          return !(allowed?.length === 1 && allowed[0] === v);
        });
        if (missing.length === 0) return compliant();
        return nonCompliant(
          `the policy does not fix custom_tags ${missing.map(([k, v]) => `${k}=${v}`).join(", ")} on its clusters.`,
        );
      }
      if (subject.kind !== "resource") return NOT_APPLICABLE;
      let attribute: string;
      if (subject.type === "databricks_cluster") attribute = "custom_tags";
      else if (subject.type.startsWith("azurerm_") && "tagsInput" in subject.resource) attribute = "tags";
      else return NOT_APPLICABLE;
      const tags = literal<Record<string, unknown>>(subject.config[attribute]) ?? {};
      const missing = Object.entries(required).filter(([k, v]) => tags[k] !== v);
      if (missing.length === 0) return compliant();
      return nonCompliant(`${attribute} lacks ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}.`);
    },
  };
}
