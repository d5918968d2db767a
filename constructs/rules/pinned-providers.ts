import { LabRule, NOT_APPLICABLE, outcomeOf } from "./rule";

export const pinnedProvidersRule: LabRule = {
  id: "LAB-PROVIDERS-PINNED",
  rationale: "a version range lets the next `terraform init` pull a provider nobody tested with this stack.",
  level: "error",
  fix: "pin every provider to one exact version (the prebuilt @cdktf/provider-* packages do).",
  check(subject) {
    if (subject.kind !== "stack") return NOT_APPLICABLE;
    const terraform = subject.json.terraform as
      { required_providers?: Record<string, { version?: string }> } | undefined;
    const providers = Object.entries(terraform?.required_providers ?? {});
    if (providers.length === 0) return NOT_APPLICABLE;
    return outcomeOf(
      providers
        .filter(([, p]) => !/^=?\s*\d+\.\d+\.\d+$/.test(p.version ?? ""))
        .map(
          ([name, p]) => `provider ${name} has version ${JSON.stringify(p.version ?? "unset")}, not one exact version.`,
        ),
    );
  },
};
