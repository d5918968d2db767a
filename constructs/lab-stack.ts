import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { DataDatabricksCurrentUser } from "@cdktf/provider-databricks/lib/data-databricks-current-user";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Aspects, AzurermBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ClassroomCompute } from "../lab/catalog/classroom-compute";
import { MIN_TERRAFORM_VERSION } from "../lab/catalog/toolchain";
import { WorkspaceSku } from "../lab/catalog/workspace-skus";
import { ClusterShapeProps } from "./cluster-shape";
import { LabBudget } from "./lab-budget";
import { LabWorkspace } from "./lab-workspace";
import { MlCluster } from "./ml-cluster";
import { DbcArchive, NotebookImport } from "./notebook-import";
import { LabResourceGroup } from "./lab-resource-group";
import { LabRulePack, suppressRule } from "./rules";
import { WorkspaceAccess } from "./workspace-access";
import { Classroom, ClassroomStudent } from "./classroom";

/** What the lab stack is built from; the field names are the settings' (lab/settings), so validated settings fit. */
export interface LabStackProps extends Omit<ClusterShapeProps, "tags"> {
  /** Names every resource (`rg-<name>`, `dbw-<name>`, `<name>-<variant>`) and the `lab` tag. */
  readonly name: string;
  /** Azure region, ARM name (`eastus`). */
  readonly location: string;
  /**
   * Workspace pricing tier.
   * @default "premium"
   */
  readonly sku?: WorkspaceSku;
  /**
   * Workers of the instructor's cluster.
   * @default - the variant's count
   */
  readonly workers?: number;
  /**
   * The cost policy's limit for auto-termination (rule LAB-CLUSTER-AUTOTERMINATION).
   * @default 240
   */
  readonly maxAutoterminationMinutes?: number;
  /**
   * Public IPv4 ranges allowed to reach the workspace (an IP access list).
   * @default - every address (the public-access rule is suppressed, with its reason)
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Longest lifetime of a personal access token made in the workspace, in days.
   * @default 7
   */
  readonly maxTokenLifetimeDays?: number;
  /**
   * Keep the Terraform state in an Azure Storage blob, signing in with Entra ID (never an account
   * key), so that a team or a second machine can change and destroy the lab.
   * @default - a local state file, terraform.<name>.tfstate
   */
  readonly remoteState?: {
    readonly storageAccount: string;
    readonly container: string;
    readonly key: string;
    readonly resourceGroup?: string;
  };
  /**
   * Subscription written into the azurerm provider.
   * @default - Terraform reads ARM_SUBSCRIPTION_ID at deploy time
   */
  readonly subscriptionId?: string;
  /**
   * A class: every student gets a user, a folder with the notebooks, and compute; the instructor
   * (whoever deploys) keeps the lab above.
   * @default - the single-learner lab
   */
  readonly classroom?: {
    readonly roster: { readonly students: readonly ClassroomStudent[] };
    readonly compute: ClassroomCompute;
  };
  /**
   * A monthly budget (billing currency) on the lab's resource groups, alerting at 50, 80 and 100 %
   * of spend and 100 % of forecast.
   * @default - no budget
   */
  readonly budget?: number;
  /**
   * Who the budget's alerts go to; needed with a budget.
   * @default - none
   */
  readonly budgetEmails?: readonly string[];
  /**
   * The verified notebook archive to import.
   * @default - no notebook folder: for a destroy, which removes the folder from the state alone
   */
  readonly archive?: DbcArchive;
}

/** The whole lab: resource group, workspace, ML cluster and the course notebooks, in one deploy. */
export class LabStack extends TerraformStack {
  public readonly resourceGroup: LabResourceGroup;
  public readonly workspace: LabWorkspace;
  /** The workspace's IP allow-list and token lifetime. */
  public readonly access: WorkspaceAccess;
  public readonly cluster: MlCluster;
  /** The class, with a roster; undefined without one (or without an archive, for a destroy). */
  public readonly classroom?: Classroom;
  /** The imported notebooks; undefined without an archive. */
  public readonly notebooks?: NotebookImport;
  /** The monthly budget, when one was asked for. */
  public readonly budget?: LabBudget;
  /** Tags on every taggable resource, the cluster's VMs included. */
  public readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id);
    this.tags = { lab: props.name, course: "DP-090", "managed-by": "cdktf" };
    this.configureTerraform(props);

    const managedResourceGroupName = `rg-${props.name}-managed`;
    this.resourceGroup = new LabResourceGroup(this, "resource-group", {
      name: `rg-${props.name}`,
      location: props.location,
      tags: this.tags,
    });
    this.workspace = new LabWorkspace(this, "workspace", {
      resourceGroup: this.resourceGroup,
      name: `dbw-${props.name}`,
      sku: props.sku,
      managedResourceGroupName,
      noPublicIp: true,
      publicNetworkAccess: true,
      tags: this.tags,
    });
    if (props.budget !== undefined) {
      this.budget = new LabBudget(this, "budget", {
        name: `budget-${props.name}`,
        amount: props.budget,
        // The cluster VMs, their disks and the NAT gateway bill in the managed group.
        resourceGroupNames: [`rg-${props.name}`, managedResourceGroupName],
        contactEmails: props.budgetEmails ?? [],
      });
    }
    if (!props.allowedIpRanges) {
      suppressRule(
        this.workspace.resource,
        "LAB-WORKSPACE-PUBLIC-ACCESS",
        "Lab users open the workspace from a browser on any network; Private Link and VNet injection cost more than a throwaway lab is worth. Nodes still have no public IPs.",
      );
    }

    // Configured from the workspace, so one apply creates the workspace and then what is inside.
    new DatabricksProvider(this, "databricks", {
      host: this.workspace.workspaceUrl,
      azureWorkspaceResourceId: this.workspace.resourceId,
    });
    this.access = new WorkspaceAccess(this, "access", {
      allowedIpRanges: props.allowedIpRanges,
      computeEgressAddresses: props.allowedIpRanges ? [this.workspace.egressAddress()] : undefined,
      maxTokenLifetimeDays: props.maxTokenLifetimeDays,
    });
    // Data sources are read at plan time; without this they would run before the workspace exists.
    const me = new DataDatabricksCurrentUser(this, "me", { dependsOn: [this.workspace.ready] });

    const { variant, runtime, nodeType, autoterminationMinutes } = props;
    const shape: ClusterShapeProps = { variant, runtime, nodeType, autoterminationMinutes, tags: this.tags };
    this.cluster = new MlCluster(this, "cluster", {
      ...shape,
      singleUserName: me.userName,
      clusterName: `${props.name}-${props.variant.name}`,
      workers: props.workers,
    });
    if (props.archive)
      this.notebooks = new NotebookImport(this, "notebooks", { archive: props.archive, parentFolder: me.home });

    if (props.classroom && props.archive) {
      this.classroom = new Classroom(this, "classroom", {
        ...shape,
        students: props.classroom.roster.students,
        compute: props.classroom.compute,
        archive: props.archive,
        deployer: { userName: me.userName, aclPrincipalId: me.aclPrincipalId, ready: this.workspace.ready },
        clusterNamePrefix: props.name,
      });
    }

    Aspects.of(this).add(
      new LabRulePack({ requiredTags: this.tags, maxAutoterminationMinutes: props.maxAutoterminationMinutes }),
    );
    this.addOutputs();
  }

  /** The state's backend, the Terraform version and the azurerm provider. */
  private configureTerraform(props: LabStackProps): void {
    if (props.remoteState) {
      new AzurermBackend(this, {
        storageAccountName: props.remoteState.storageAccount,
        containerName: props.remoteState.container,
        key: props.remoteState.key,
        resourceGroupName: props.remoteState.resourceGroup,
        // Entra ID (the Azure login, or OIDC in CI via ARM_USE_OIDC): no key or SAS is ever written.
        useAzureadAuth: true,
      });
    }
    // terraform_data (the workspace's ready marker) exists from Terraform 1.4 on.
    this.addOverride("terraform.required_version", `>= ${MIN_TERRAFORM_VERSION}`);
    // azurerm 4.x needs a subscription: from the props, else ARM_SUBSCRIPTION_ID at deploy time.
    new AzurermProvider(this, "azurerm", {
      // Without force_delete, Azure keeps a Unity Catalog workspace's managed resource group (its
      // storage account bills on, and blocks a redeploy under the same name) after a destroy.
      features: [{ databricksWorkspace: [{ forceDelete: true }] }],
      subscriptionId: props.subscriptionId,
    });
  }

  /** What the README, `npm run class-sheet` and `npm run labs` read after a deploy. */
  private addOutputs(): void {
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
    if (this.classroom) this.addClassroomOutputs(this.classroom);
    if (this.notebooks) {
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

  private addClassroomOutputs(classroom: Classroom): void {
    new TerraformOutput(this, "students", {
      value: Object.fromEntries(
        [...classroom.students].map(([email, student]) => [
          email,
          {
            folder_path: student.folderPath,
            notebooks_url: student.notebooks.folderUrl,
            ...(student.cluster ? { cluster_url: student.cluster.clusterUrl } : {}),
          },
        ]),
      ),
      description: "Per student, by address: their folder, the link to their notebooks and to their cluster.",
    });
    if (classroom.policy) {
      new TerraformOutput(this, "student_policy_id", {
        value: classroom.policy.policyId,
        description: "The cluster policy students create their cluster with.",
      });
      new TerraformOutput(this, "student_policy_name", {
        value: classroom.policy.policyName,
        description: "The policy's name, as students pick it under Compute > Create compute.",
      });
    }
  }
}
