import { DataAzurermPublicIp } from "@cdktf/provider-azurerm/lib/data-azurerm-public-ip";
import { DatabricksWorkspace } from "@cdktf/provider-azurerm/lib/databricks-workspace";
import { Construct } from "constructs";
import { WorkspaceSku } from "../lab/catalog/workspace-skus";
import { IResourceGroup } from "./lab-resource-group";
import { Rule, validateAllProps } from "./validate-props";
import { ValidationError } from "./validation-error";
import { TerraformData } from "./terraform-data";

export interface LabWorkspaceProps {
  /** The resource group to create the workspace in; its location is used. */
  readonly resourceGroup: IResourceGroup;
  /** Workspace name: 3 to 64 letters, digits, underscores and hyphens. */
  readonly name: string;
  /**
   * Pricing tier. Standard is not offered: Azure refuses new Standard workspaces since 2026-04-01.
   * @default "premium"
   */
  readonly sku?: WorkspaceSku;
  /**
   * The group Azure Databricks creates for the cluster VMs, network and storage. Create-only,
   * and unique per subscription.
   * @default - `${name}-managed`
   */
  readonly managedResourceGroupName?: string;
  /**
   * Secure cluster connectivity: cluster nodes get no public IP and reach the control plane
   * outbound through a NAT gateway.
   * @default true
   */
  readonly noPublicIp?: boolean;
  /**
   * Whether the workspace UI and API are reachable from the internet. A lab is used from a
   * browser anywhere, so on by default; private access needs Private Link.
   * @default true
   */
  readonly publicNetworkAccess?: boolean;
  /**
   * Tags for the workspace.
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** azurerm 4.55's own check (databricks/validate/workspace_name.go, WorkspaceName). */
const WORKSPACE_NAME = /^[a-zA-Z0-9_-]{3,64}$/;

const LAB_WORKSPACE_RULES: readonly Rule<LabWorkspaceProps>[] = [
  {
    prop: "name",
    condition: ({ name }) => !WORKSPACE_NAME.test(name),
    message: ({ name }) => `name must be 3 to 64 letters, digits, underscores and hyphens, got "${name}"`,
  },
];

/** The Azure Databricks workspace, and what the databricks provider needs to talk to it. */
export class LabWorkspace extends Construct {
  /** `https://adb-….azuredatabricks.net`, the `host` for the databricks provider. */
  public readonly workspaceUrl: string;
  /** Azure resource id, the provider's `azure_workspace_resource_id`. */
  public readonly resourceId: string;
  /**
   * What data sources of the databricks provider should `depends_on`: it exists once the workspace
   * does and changes only when the workspace is replaced. A `depends_on` on the workspace itself
   * would defer those reads to apply time whenever the workspace has any pending change (a tag
   * drift), making `home` and `user_name` unknown at plan and so replacing the notebook folder.
   */
  public readonly ready: TerraformData;
  /** Escape hatch: the underlying azurerm resource. */
  public readonly resource: DatabricksWorkspace;
  private readonly noPublicIp: boolean;
  private egressIp?: DataAzurermPublicIp;

  constructor(scope: Construct, id: string, props: LabWorkspaceProps) {
    super(scope, id);
    validateAllProps(this, "LabWorkspace", props, LAB_WORKSPACE_RULES);
    const sku = props.sku ?? "premium";
    const managedResourceGroupName = props.managedResourceGroupName ?? `${props.name}-managed`;
    const noPublicIp = props.noPublicIp ?? true;
    const publicNetworkAccess = props.publicNetworkAccess ?? true;

    this.resource = new DatabricksWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      sku,
      managedResourceGroupName,
      publicNetworkAccessEnabled: publicNetworkAccess,
      customParameters: { noPublicIp },
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.workspaceUrl = `https://${this.resource.workspaceUrl}`;
    this.resourceId = this.resource.id;
    this.ready = new TerraformData(this, "ready", { input: { workspace_id: this.resource.id } });
    this.noPublicIp = noPublicIp;
  }

  /**
   * The public address the clusters reach the control plane from: with secure cluster connectivity
   * in the managed VNet, Azure Databricks puts a NAT gateway and its public IP in the managed
   * resource group. An IP access list must allow it, or no classic cluster can launch. Read (a data
   * source, made on first call) by the names the workspace reports, never by a guessed name.
   */
  public egressAddress(): string {
    if (!this.noPublicIp) {
      // Without secure cluster connectivity every node has a public IP of its own: no one address.
      throw new ValidationError(
        this.node.path,
        ["egressAddress needs noPublicIp (secure cluster connectivity)"],
        "LabWorkspace",
      );
    }
    this.egressIp ??= new DataAzurermPublicIp(this, "egress-ip", {
      name: this.resource.customParameters.publicIpName,
      resourceGroupName: this.resource.managedResourceGroupName,
    });
    return this.egressIp.ipAddress;
  }
}
