import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { DataDatabricksCurrentUser } from "@cdktf/provider-databricks/lib/data-databricks-current-user";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { NotebookArchive } from "../lab/notebook-archive";
import { LabSettings } from "../lab/settings";
import { LabWorkspace } from "./databricks-workspace";
import { MlCluster } from "./ml-cluster";
import { NotebookImport } from "./notebook-import";
import { LabResourceGroup } from "./resource-group";
import { LabRulePack, suppressRule } from "./rules";

export interface LabStackProps {
  /** Validated settings; `settings.name` names the resources (the stack id is yours to choose). */
  readonly settings: LabSettings;
  /** The verified notebook archive to import. */
  readonly archive: NotebookArchive;
}

/** The whole lab: resource group, workspace, ML cluster and the course notebooks, in one deploy. */
export class LabStack extends TerraformStack {
  public readonly resourceGroup: LabResourceGroup;
  public readonly workspace: LabWorkspace;
  public readonly cluster: MlCluster;
  public readonly notebooks: NotebookImport;
  /** Tags on every taggable resource, the cluster's VMs included. */
  public readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id);
    const { settings, archive } = props;
    this.tags = { lab: settings.name, course: "DP-090", "managed-by": "cdktf" };

    // azurerm 4.x needs a subscription: from the settings, else ARM_SUBSCRIPTION_ID at deploy time.
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: settings.subscriptionId });

    this.resourceGroup = new LabResourceGroup(this, "resource-group", {
      name: `rg-${settings.name}`,
      location: settings.location,
      tags: this.tags,
    });
    this.workspace = new LabWorkspace(this, "workspace", {
      resourceGroup: this.resourceGroup,
      name: `dbw-${settings.name}`,
      sku: settings.sku,
      managedResourceGroupName: `rg-${settings.name}-managed`,
      noPublicIp: true,
      publicNetworkAccess: true,
      tags: this.tags,
    });
    suppressRule(
      this.workspace.resource,
      "LAB-WORKSPACE-PUBLIC-ACCESS",
      "Lab users open the workspace from a browser on any network; Private Link and VNet injection cost more than a throwaway lab is worth. Nodes still have no public IPs.",
    );

    // Configured from the workspace, so one apply creates the workspace and then what is inside.
    new DatabricksProvider(this, "databricks", {
      host: this.workspace.workspaceUrl,
      azureWorkspaceResourceId: this.workspace.resourceId,
    });
    // Data sources are read at plan time; without this they would run before the workspace exists.
    const me = new DataDatabricksCurrentUser(this, "me", { dependsOn: [this.workspace.ready] });

    this.cluster = new MlCluster(this, "cluster", {
      flavor: settings.flavor,
      owner: me,
      clusterName: `${settings.name}-${settings.flavor.name}`,
      runtime: settings.runtime,
      nodeType: settings.nodeType,
      workers: settings.workers,
      autoterminationMinutes: settings.autoterminationMinutes,
      tags: this.tags,
    });
    this.notebooks = new NotebookImport(this, "notebooks", { archive, owner: me });

    Aspects.of(this).add(
      new LabRulePack({ requiredTags: this.tags, maxAutoterminationMinutes: settings.maxAutoterminationMinutes }),
    );

    new TerraformOutput(this, "workspace_url", {
      value: this.workspace.workspaceUrl,
      description: "Open the lab's Azure Databricks workspace.",
    });
    new TerraformOutput(this, "resource_group_name", {
      value: this.resourceGroup.name,
      description: "Resource group holding the whole lab.",
    });
    new TerraformOutput(this, "cluster_id", { value: this.cluster.clusterId, description: "The ML cluster's id." });
    new TerraformOutput(this, "cluster_url", { value: this.cluster.clusterUrl, description: "The ML cluster's page." });
    new TerraformOutput(this, "notebook_folder_path", {
      value: this.notebooks.folderPath,
      description: "Workspace folder with the lab's notebooks.",
    });
    new TerraformOutput(this, "notebook_folder_url", {
      value: this.notebooks.folderUrl,
      description: "Link to the lab's notebooks.",
    });
  }
}
