import { ConsumptionBudgetSubscription } from "@cdktf/provider-azurerm/lib/consumption-budget-subscription";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { ClusterPolicy } from "@cdktf/provider-databricks/lib/cluster-policy";
import { IpAccessList } from "@cdktf/provider-databricks/lib/ip-access-list";
import { User } from "@cdktf/provider-databricks/lib/user";
import { WorkspaceConf } from "@cdktf/provider-databricks/lib/workspace-conf";
import { Aspects, IAspect, TerraformOutput, TerraformStack } from "cdktf";
import { classBudgetRule } from "../constructs/rules/class-budget";
import { TAGS, compliantCluster, compliantWorkspace, runRules } from "./helpers/rules";

function storageAccount(scope: TerraformStack, tags: Record<string, string> = TAGS): StorageAccount {
  return new StorageAccount(scope, "storage", {
    name: "stlab",
    resourceGroupName: "rg-lab",
    location: "eastus",
    accountTier: "Standard",
    accountReplicationType: "LRS",
    tags,
  });
}

describe("the rule pack", () => {
  test("judges values as other aspects leave them (it runs after every aspect)", () => {
    const tagging: IAspect = {
      visit: (node) => {
        if (node instanceof StorageAccount) node.tags = TAGS;
      },
    };
    const findings = runRules((s) => {
      storageAccount(s, {});
      Aspects.of(s).add(tagging);
    });
    expect(findings.of("LAB-TAGS")).toEqual([]);
  });
});

describe("a fully compliant stack", () => {
  test("draws no finding from any rule", () => {
    const findings = runRules((stack) => {
      compliantCluster(stack);
      compliantWorkspace(stack);
    });
    expect(findings.errors).toEqual([]);
    expect(findings.warnings).toEqual([]);
  });
});

describe("LAB-CLUSTER-AUTOTERMINATION", () => {
  const id = "LAB-CLUSTER-AUTOTERMINATION";

  test("passes at the limit", () => {
    expect(runRules((s) => compliantCluster(s, { autoterminationMinutes: 240 })).of(id)).toEqual([]);
  });

  test("fails when auto-termination is off", () => {
    expect(runRules((s) => compliantCluster(s, { autoterminationMinutes: 0 })).errors).toEqual([
      expect.stringMatching(
        /^\[LAB-CLUSTER-AUTOTERMINATION\] auto-termination is off \(autotermination_minutes is unset or 0\)\. Why: .* Fix: set autotermination_minutes between 10 and 240/,
      ),
    ]);
  });

  test("fails above a configurable limit", () => {
    const findings = runRules((s) => compliantCluster(s, { autoterminationMinutes: 120 }), {
      maxAutoterminationMinutes: 60,
    });
    expect(findings.errors).toEqual([
      expect.stringContaining(`[${id}] autotermination_minutes is 120, more than the 60-minute limit.`),
    ]);
  });
});

describe("LAB-CLUSTER-ACCESS-MODE", () => {
  const id = "LAB-CLUSTER-ACCESS-MODE";

  test.each(["SINGLE_USER", "USER_ISOLATION", "DATA_SECURITY_MODE_DEDICATED"])("passes with %s", (mode) => {
    expect(runRules((s) => compliantCluster(s, { dataSecurityMode: mode })).of(id)).toEqual([]);
  });

  test.each(["NONE", "LEGACY_PASSTHROUGH"])("fails with the no-isolation mode %s", (mode) => {
    expect(runRules((s) => compliantCluster(s, { dataSecurityMode: mode, singleUserName: undefined })).errors).toEqual([
      expect.stringContaining(`[${id}] data_security_mode is ${mode}, a no-isolation mode.`),
    ]);
  });

  test("fails when the mode is only known at apply time", () => {
    const findings = runRules((s) => compliantCluster(s, { dataSecurityMode: "${var.mode}" }));
    expect(findings.errors).toEqual([
      expect.stringContaining(`[${id}] data_security_mode is only known at apply time`),
    ]);
  });

  test("fails when no mode is set", () => {
    expect(
      runRules((s) => compliantCluster(s, { dataSecurityMode: undefined, singleUserName: undefined })).errors,
    ).toEqual([expect.stringContaining(`[${id}] data_security_mode is not set, which means no isolation.`)]);
  });
});

describe("LAB-CLUSTER-LTS-RUNTIME", () => {
  const id = "LAB-CLUSTER-LTS-RUNTIME";

  test.each(["15.4.x-cpu-ml-scala2.12", "15.4.x-gpu-ml-scala2.12", "17.3.x-cpu-ml-scala2.13"])(
    "passes with %s",
    (runtime) => {
      expect(runRules((s) => compliantCluster(s, { sparkVersion: runtime })).of(id)).toEqual([]);
    },
  );

  test("warns on a non-LTS runtime, without blocking synthesis", () => {
    const findings = runRules((s) => compliantCluster(s, { sparkVersion: "16.2.x-cpu-ml-scala2.12" }));
    expect(findings.errors).toEqual([]);
    expect(findings.warnings).toEqual([
      expect.stringContaining(
        `[${id}] spark_version 16.2.x-cpu-ml-scala2.12 is not a supported long-term-support runtime.`,
      ),
    ]);
  });

  test("warns on an LTS runtime past its end of support", () => {
    expect(runRules((s) => compliantCluster(s, { sparkVersion: "13.3.x-cpu-ml-scala2.12" })).warnings).toEqual([
      expect.stringContaining(
        `[${id}] spark_version 13.3.x-cpu-ml-scala2.12 is not a supported long-term-support runtime.`,
      ),
    ]);
  });

  test("warns on a runtime that is not an ML runtime", () => {
    expect(runRules((s) => compliantCluster(s, { sparkVersion: "15.4.x-scala2.12" })).warnings).toEqual([
      expect.stringContaining(`[${id}] spark_version 15.4.x-scala2.12 is not an ML runtime.`),
    ]);
  });
});

describe("LAB-CLUSTER-SPOT-DRIVER", () => {
  const id = "LAB-CLUSTER-SPOT-DRIVER";

  test("passes with spot workers behind an on-demand driver", () => {
    const azureAttributes = { availability: "SPOT_WITH_FALLBACK_AZURE", firstOnDemand: 1 };
    expect(runRules((s) => compliantCluster(s, { azureAttributes })).of(id)).toEqual([]);
  });

  test("fails with spot and no on-demand driver", () => {
    const azureAttributes = { availability: "SPOT_AZURE", firstOnDemand: 0 };
    expect(runRules((s) => compliantCluster(s, { azureAttributes })).errors).toEqual([
      expect.stringContaining(
        `[${id}] availability is SPOT_AZURE but first_on_demand is 0: the driver may be a spot VM.`,
      ),
    ]);
  });
});

describe("LAB-WORKSPACE-NO-PUBLIC-IP", () => {
  const id = "LAB-WORKSPACE-NO-PUBLIC-IP";

  test("passes with secure cluster connectivity set explicitly", () => {
    expect(runRules((s) => compliantWorkspace(s)).of(id)).toEqual([]);
  });

  test("fails when it is left to the provider's default", () => {
    expect(runRules((s) => compliantWorkspace(s, { customParameters: {} })).errors).toEqual([
      expect.stringContaining(`[${id}] custom_parameters.no_public_ip is not set; it must be set explicitly`),
    ]);
  });

  test("fails when nodes get public IPs", () => {
    expect(runRules((s) => compliantWorkspace(s, { customParameters: { noPublicIp: false } })).errors).toEqual([
      expect.stringContaining(`[${id}] custom_parameters.no_public_ip is false: cluster nodes get public IPs.`),
    ]);
  });
});

describe("LAB-WORKSPACE-PUBLIC-ACCESS (checkov CKV_AZURE_158)", () => {
  const id = "LAB-WORKSPACE-PUBLIC-ACCESS";

  test("passes with public network access off", () => {
    expect(runRules((s) => compliantWorkspace(s)).of(id)).toEqual([]);
  });

  test("fails when public access is on", () => {
    expect(runRules((s) => compliantWorkspace(s, { publicNetworkAccessEnabled: true })).errors).toEqual([
      expect.stringContaining(`[${id}] public_network_access_enabled is true`),
    ]);
  });

  test("passes with public access on when an IP allow-list is in force in the stack", () => {
    const findings = runRules((s) => {
      compliantWorkspace(s, { publicNetworkAccessEnabled: true });
      const conf = new WorkspaceConf(s, "conf", { customConfig: { enableIpAccessLists: "true" } });
      new IpAccessList(s, "allow", {
        label: "lab",
        listType: "ALLOW",
        ipAddresses: ["20.50.0.0/24"],
        dependsOn: [conf],
      });
    });
    expect(findings.of(id)).toEqual([]);
  });

  test("fails when the allow-list is disabled, or the workspace setting that enforces lists is missing", () => {
    const disabled = runRules((s) => {
      compliantWorkspace(s, { publicNetworkAccessEnabled: true });
      new WorkspaceConf(s, "conf", { customConfig: { enableIpAccessLists: "true" } });
      new IpAccessList(s, "allow", {
        label: "lab",
        listType: "ALLOW",
        ipAddresses: ["20.50.0.0/24"],
        enabled: false,
      });
    });
    expect(disabled.errors).toEqual([
      expect.stringContaining(`[${id}] public_network_access_enabled is true and no IP access list`),
    ]);
    const notEnforced = runRules((s) => {
      compliantWorkspace(s, { publicNetworkAccessEnabled: true });
      new IpAccessList(s, "allow", { label: "lab", listType: "ALLOW", ipAddresses: ["20.50.0.0/24"] });
    });
    expect(notEnforced.errors).toEqual([expect.stringContaining(`[${id}] public_network_access_enabled is true`)]);
  });

  test("fails when public access is left unset", () => {
    expect(runRules((s) => compliantWorkspace(s, { publicNetworkAccessEnabled: undefined })).errors).toEqual([
      expect.stringContaining(`[${id}] public_network_access_enabled is not set`),
    ]);
  });
});

describe("LAB-TAGS", () => {
  const id = "LAB-TAGS";

  test("passes when Azure resources and the cluster carry the lab's tags (extra tags are fine)", () => {
    const findings = runRules((s) => {
      compliantCluster(s, { customTags: { ...TAGS, owner: "me" } });
      compliantWorkspace(s);
    });
    expect(findings.of(id)).toEqual([]);
  });

  test("fails on a taggable Azure resource without them", () => {
    const findings = runRules((s) => {
      storageAccount(s, { lab: "test-lab" });
    });
    expect(findings.errors).toEqual([expect.stringContaining(`[${id}] tags lacks course=DP-090, managed-by=cdktf.`)]);
  });

  test("checks the values, not only the keys: a tag of another lab fails", () => {
    expect(runRules((s) => compliantCluster(s, { customTags: { ...TAGS, lab: "other-lab" } })).errors).toEqual([
      expect.stringContaining(`[${id}] custom_tags lacks lab=test-lab.`),
    ]);
  });

  test("fails on a cluster without them, naming custom_tags", () => {
    expect(runRules((s) => compliantCluster(s, { customTags: undefined })).errors).toEqual([
      expect.stringContaining(`[${id}] custom_tags lacks lab=test-lab, course=DP-090, managed-by=cdktf.`),
    ]);
  });
});

describe("LAB-PROVIDERS-PINNED", () => {
  const id = "LAB-PROVIDERS-PINNED";

  test("passes with the prebuilt providers' exact versions", () => {
    expect(runRules(() => undefined).of(id)).toEqual([]);
  });

  test("fails on a version range", () => {
    const findings = runRules((stack: TerraformStack) => {
      stack.addOverride("terraform.required_providers.azurerm.version", "~> 4.0");
    });
    expect(findings.errors).toEqual([
      expect.stringContaining(`[${id}] provider azurerm has version "~> 4.0", not one exact version.`),
    ]);
  });
});

describe("LAB-CLASS-BUDGET", () => {
  const id = "LAB-CLASS-BUDGET";
  const student = (stack: TerraformStack, n: number) =>
    new User(stack, `student-${n}`, { userName: `s${n}@example.org` });
  const budget = (stack: TerraformStack) =>
    new ConsumptionBudgetSubscription(stack, "budget", {
      name: "budget-lab",
      subscriptionId: "/subscriptions/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
      amount: 500,
      timePeriod: { startDate: "2026-12-01T00:00:00Z" },
      notification: [{ threshold: 80, operator: "GreaterThan", contactEmails: ["t@example.org"] }],
    });

  test("recommends a budget for a class, as a warning with its reason", () => {
    const findings = runRules((stack) => {
      student(stack, 1);
      student(stack, 2);
    });
    expect(findings.errors).toEqual([]);
    expect(findings.warnings.filter((w) => w.startsWith(`[${id}]`))).toEqual([
      `[${id}] the stack has a class of 2 students and no consumption budget. Why: ${classBudgetRule.rationale} Fix: ${classBudgetRule.fix}`,
    ]);
  });

  test("passes for a class with a budget", () => {
    const findings = runRules((stack) => {
      student(stack, 1);
      budget(stack);
    });
    expect(findings.of(id)).toEqual([]);
  });

  test("says nothing of a single learner's lab", () => {
    expect(runRules(() => undefined).of(id)).toEqual([]);
  });
});

describe("LAB-NO-SECRETS", () => {
  const id = "LAB-NO-SECRETS";
  const fakeToken = ["dapi", "0123456789abcdef".repeat(2)].join("");

  test("passes when credentials come from the environment", () => {
    expect(runRules((s) => compliantCluster(s)).of(id)).toEqual([]);
  });

  test("fails on a Databricks token anywhere, without printing it", () => {
    const findings = runRules((s) => compliantCluster(s, { sparkEnvVars: { API_TOKEN: fakeToken } }));
    expect(findings.errors).toEqual([
      expect.stringContaining(
        `[${id}] a Databricks personal access token is written at resource.databricks_cluster.cluster.spark_env_vars.API_TOKEN.`,
      ),
    ]);
    expect(findings.errors.join()).not.toContain(fakeToken);
  });

  test("fails on a literal secret in a provider block", () => {
    const findings = runRules((stack: TerraformStack) => {
      stack.addOverride("provider.azurerm.0.client_secret", "hunter2-but-longer");
    });
    expect(findings.errors).toEqual([
      expect.stringContaining(`[${id}] a literal credential is written at provider.azurerm[0].client_secret.`),
    ]);
  });

  test("a reference in a secret-bearing attribute is not a secret: the value comes from elsewhere", () => {
    const findings = runRules((stack: TerraformStack) => {
      stack.addOverride("provider.azurerm.0.client_secret", "${var.client_secret}");
    });
    expect(findings.of(id)).toEqual([]);
  });

  test("fails on a SAS token and a private key", () => {
    const findings = runRules((s) =>
      compliantCluster(s, {
        sparkEnvVars: {
          DATA_URL:
            "https://x.blob.core.windows.net/c/f?sv=2022-11-02&se=2030-01-01&sig=abcdefghijklmnopqrstuvwxyz0123456789%2B",
          KEY: "-----BEGIN PRIVATE KEY-----\nMIIE...",
        },
      }),
    );
    expect(findings.of(id)).toEqual([
      expect.stringContaining("a SAS token is written at resource.databricks_cluster.cluster.spark_env_vars.DATA_URL."),
      expect.stringContaining("a private key is written at resource.databricks_cluster.cluster.spark_env_vars.KEY."),
    ]);
  });
});

describe("LAB-SENSITIVE-OUTPUTS", () => {
  const id = "LAB-SENSITIVE-OUTPUTS";

  test("passes for plain outputs and for secret-like ones marked sensitive", () => {
    const findings = runRules((s) => {
      const ws = compliantWorkspace(s);
      new TerraformOutput(s, "url", { value: ws.workspaceUrl });
      new TerraformOutput(s, "storage_key", { value: storageAccount(s).primaryAccessKey, sensitive: true });
    });
    expect(findings.of(id)).toEqual([]);
  });

  test("judges the attribute, not the resource's name: a key vault's id is no secret", () => {
    const findings = runRules((s) => {
      new TerraformOutput(s, "vault_id", { value: "${data.azurerm_key_vault.kv.id}" });
    });
    expect(findings.of(id)).toEqual([]);
  });

  test("fails for a secret-like output not marked sensitive", () => {
    const findings = runRules((s) => {
      new TerraformOutput(s, "storage_key", { value: storageAccount(s).primaryAccessKey });
    });
    expect(findings.errors).toEqual([
      expect.stringContaining(
        `[${id}] output storage_key comes from primary_access_key, which may be a secret, and is not marked sensitive.`,
      ),
    ]);
  });
});

describe("cluster policies: the cluster rules judge what a policy lets students create", () => {
  const LAB_POLICY = {
    spark_version: { type: "fixed", value: "15.4.x-cpu-ml-scala2.12" },
    data_security_mode: { type: "fixed", value: "SINGLE_USER" },
    autotermination_minutes: { type: "fixed", value: 120 },
    "custom_tags.lab": { type: "fixed", value: "test-lab" },
    "custom_tags.course": { type: "fixed", value: "DP-090" },
    "custom_tags.managed-by": { type: "fixed", value: "cdktf" },
  };
  const policy = (definition: Record<string, unknown>) => (s: TerraformStack) =>
    new ClusterPolicy(s, "policy", { name: "students", definition: JSON.stringify(definition) });

  test("the lab's policy passes every rule", () => {
    const findings = runRules(policy(LAB_POLICY));
    expect(findings.errors).toEqual([]);
    expect(findings.warnings).toEqual([]);
  });

  test("LAB-CLUSTER-AUTOTERMINATION: open, or capped above the limit, fails", () => {
    const { autotermination_minutes: _, ...open } = LAB_POLICY;
    expect(runRules(policy(open)).of("LAB-CLUSTER-AUTOTERMINATION")).toEqual([
      expect.stringContaining(
        "the policy does not fix or cap autotermination_minutes, so its clusters may never stop.",
      ),
    ]);
    const high = { ...LAB_POLICY, autotermination_minutes: { type: "range", minValue: 10, maxValue: 600 } };
    expect(runRules(policy(high)).of("LAB-CLUSTER-AUTOTERMINATION")).toEqual([
      expect.stringContaining("the policy lets autotermination_minutes reach 600, more than the 240-minute limit."),
    ]);
  });

  test("LAB-CLUSTER-ACCESS-MODE: an open mode, or one allowing no isolation, fails", () => {
    const { data_security_mode: _, ...open } = LAB_POLICY;
    expect(runRules(policy(open)).of("LAB-CLUSTER-ACCESS-MODE")).toEqual([
      expect.stringContaining("the policy leaves data_security_mode open, so its clusters may run without isolation."),
    ]);
    const loose = { ...LAB_POLICY, data_security_mode: { type: "allowlist", values: ["SINGLE_USER", "NONE"] } };
    expect(runRules(policy(loose)).of("LAB-CLUSTER-ACCESS-MODE")).toEqual([
      expect.stringContaining("the policy allows data_security_mode NONE, a no-isolation mode."),
    ]);
  });

  test("LAB-CLUSTER-LTS-RUNTIME: an open runtime, or a non-LTS one allowed, warns", () => {
    const { spark_version: _, ...open } = LAB_POLICY;
    expect(runRules(policy(open)).warnings).toEqual([
      expect.stringContaining("the policy leaves spark_version open, so its clusters may run any runtime."),
    ]);
    const old = {
      ...LAB_POLICY,
      spark_version: { type: "allowlist", values: ["15.4.x-cpu-ml-scala2.12", "13.3.x-cpu-ml-scala2.12"] },
    };
    expect(runRules(policy(old)).warnings).toEqual([
      expect.stringContaining(
        "the policy allows spark_version 13.3.x-cpu-ml-scala2.12 is not a supported long-term-support runtime.",
      ),
    ]);
  });

  test("LAB-TAGS: a policy that does not fix the lab's tags fails", () => {
    const { "custom_tags.lab": _, ...untagged } = LAB_POLICY;
    expect(runRules(policy(untagged)).of("LAB-TAGS")).toEqual([
      expect.stringContaining("the policy does not fix custom_tags lab=test-lab on its clusters."),
    ]);
  });

  test("a definition that cannot be read fails each rule that needs it", () => {
    const findings = runRules((s) => new ClusterPolicy(s, "policy", { name: "students", definition: "not json" }));
    expect(findings.of("LAB-CLUSTER-ACCESS-MODE")).toEqual([
      expect.stringContaining("the policy's definition is not a JSON object."),
    ]);
  });
});
