import { LabRule, NOT_APPLICABLE, outcomeOf } from "./rule";

/** An output taken from an attribute with one of these names may carry a secret. */
const SECRET_LIKE = /(token|secret|password|key|connection_string|sas)/i;
/** The attribute an expression ends with: `${type.name.attribute}` -> attribute. */
const ATTRIBUTE = /\.(\w+)(\[\d+\])?\}/g;

export const sensitiveOutputsRule: LabRule = {
  id: "LAB-SENSITIVE-OUTPUTS",
  rationale: "`cdktf deploy` and `terraform output` print outputs in clear unless they are marked sensitive.",
  level: "error",
  fix: "mark the output sensitive (TerraformOutput sensitive: true), or do not output it.",
  check(subject) {
    if (subject.kind !== "stack") return NOT_APPLICABLE;
    const outputs = (subject.json.output ?? {}) as Record<string, { value?: unknown; sensitive?: boolean }>;
    if (Object.keys(outputs).length === 0) return NOT_APPLICABLE;
    return outcomeOf(
      Object.entries(outputs)
        .filter(([, o]) => o.sensitive !== true)
        .flatMap(([name, o]) => {
          const attributes = [...JSON.stringify(o.value ?? "").matchAll(ATTRIBUTE)].map((m) => m[1]);
          const secret = attributes.find((a) => SECRET_LIKE.test(a));
          return secret
            ? [`output ${name} comes from ${secret}, which may be a secret, and is not marked sensitive.`]
            : [];
        }),
    );
  },
};
