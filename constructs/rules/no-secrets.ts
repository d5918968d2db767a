import { LabRule, NOT_APPLICABLE, outcomeOf } from "./rule";

/** Shapes of credentials, by what they are; the values themselves are never printed. */
const CREDENTIAL_PATTERNS: readonly { what: string; pattern: RegExp }[] = [
  { what: "a Databricks personal access token", pattern: /\bdapi[0-9a-f]{32}(-\d+)?\b/ },
  { what: "an Entra ID client secret", pattern: /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/ },
  { what: "a SAS token", pattern: /(^|[?&])sig=[A-Za-z0-9%+/=]{20,}/ },
  { what: "a private key", pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/ },
  { what: "a storage account key", pattern: /AccountKey=[A-Za-z0-9+/=]{40,}/ },
];

/** Attributes whose literal value is a credential whatever it looks like. */
const SECRET_ATTRIBUTE =
  /^(token|password|client_secret|azure_client_secret|client_certificate_password|access_key|account_key|sas_token|private_key)$/;

export const noSecretsRule: LabRule = {
  id: "LAB-NO-SECRETS",
  rationale:
    "the synthesized JSON and the state are plain files; a credential written there leaks to anyone who reads them.",
  level: "error",
  fix: "take credentials from the environment (az login, ARM_* or DATABRICKS_* variables), never from code or settings.",
  check(subject) {
    if (subject.kind !== "stack") return NOT_APPLICABLE;
    const findings: string[] = [];
    walk(subject.json, "", (path, key, value) => {
      if (typeof value !== "string") return;
      const hit = CREDENTIAL_PATTERNS.find((c) => c.pattern.test(value));
      if (hit) findings.push(`${hit.what} is written at ${path}.`);
      else if (SECRET_ATTRIBUTE.test(key) && value !== "" && !value.startsWith("${")) {
        findings.push(`a literal credential is written at ${path}.`);
      }
    });
    return outcomeOf(findings);
  },
};

function walk(
  value: unknown,
  path: string,
  visit: (path: string, key: string, value: unknown) => void,
  key = "",
): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit, key));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, visit, k);
  } else visit(path, key, value);
}
