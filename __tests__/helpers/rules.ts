import { DatabricksWorkspace, DatabricksWorkspaceConfig } from "@cdktf/provider-azurerm/lib/databricks-workspace";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Cluster, ClusterConfig } from "@cdktf/provider-databricks/lib/cluster";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { IConstruct } from "constructs";
import { LabRulePack, LabRulePackProps } from "../../constructs";
import { tempDir } from "./dbc";

export const TAGS = { lab: "test-lab", course: "DP-090", "managed-by": "cdktf" };

/** A cluster that satisfies every rule; tests change one thing at a time. */
export function compliantCluster(scope: IConstruct, overrides: Partial<ClusterConfig> = {}, id = "cluster"): Cluster {
  return new Cluster(scope as TerraformStack, id, {
    clusterName: "lab",
    sparkVersion: "15.4.x-cpu-ml-scala2.12",
    nodeTypeId: "Standard_DS3_v2",
    numWorkers: 1,
    autoterminationMinutes: 120,
    dataSecurityMode: "SINGLE_USER",
    singleUserName: "someone@example.org",
    azureAttributes: { availability: "ON_DEMAND_AZURE" },
    customTags: TAGS,
    ...overrides,
  });
}

/** A workspace that satisfies every rule, public access off included. */
export function compliantWorkspace(
  scope: IConstruct,
  overrides: Partial<DatabricksWorkspaceConfig> = {},
): DatabricksWorkspace {
  return new DatabricksWorkspace(scope as TerraformStack, "workspace", {
    name: "dbw-lab",
    resourceGroupName: "rg-lab",
    location: "eastus",
    sku: "premium",
    publicNetworkAccessEnabled: false,
    customParameters: { noPublicIp: true },
    tags: TAGS,
    ...overrides,
  });
}

export interface Findings {
  readonly errors: string[];
  readonly warnings: string[];
  /** Every message, errors and warnings, that names the rule. */
  of(ruleId: string): string[];
  /** Paths of the constructs a rule found something on. */
  pathsOf(ruleId: string): string[];
}

/** Builds a stack with the rule pack applied, synthesizes it and collects what the rules said. */
export function runRules(build: (stack: TerraformStack) => void, props: Partial<LabRulePackProps> = {}): Findings {
  const app = Testing.app({ outdir: tempDir("rules-") });
  const stack = new TerraformStack(app, "test");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  new DatabricksProvider(stack, "databricks", {});
  new ResourceGroup(stack, "rg", { name: "rg-lab", location: "eastus", tags: TAGS });
  build(stack);
  Aspects.of(stack).add(new LabRulePack({ requiredTags: TAGS, ...props }));
  Testing.synth(stack, true);
  return collect(stack);
}

export function collect(stack: TerraformStack): Findings {
  const entries = stack.node
    .findAll()
    .flatMap((n) => n.node.metadata.map((m) => ({ path: n.node.path, type: m.type, message: String(m.data) })))
    .filter((e) => e.type === "@cdktf/error" || e.type === "@cdktf/warn");
  const errors = entries.filter((e) => e.type === "@cdktf/error").map((e) => e.message);
  const warnings = entries.filter((e) => e.type === "@cdktf/warn").map((e) => e.message);
  const named = (id: string) => entries.filter((e) => e.message.startsWith(`[${id}]`));
  return {
    errors,
    warnings,
    of: (id) => named(id).map((e) => e.message),
    pathsOf: (id) => named(id).map((e) => e.path),
  };
}
