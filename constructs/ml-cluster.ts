import { Cluster } from "@cdktf/provider-databricks/lib/cluster";
import { Construct } from "constructs";
import { SINGLE_NODE } from "../lab/catalog/single-node";
import { ClusterShapeProps, resolveClusterShape } from "./cluster-shape";
import { ML_CLUSTER_RULES, ResolvedMlClusterProps } from "./validate-ml-cluster-props";
import { validateAllProps } from "./validate-props";
import { TerraformData } from "./terraform-data";

export interface MlClusterProps extends ClusterShapeProps {
  /**
   * User name (e-mail) of the one user the cluster is dedicated to (access mode SINGLE_USER), or
   * a reference to one, such as `databricks_current_user`'s `userName`.
   */
  readonly singleUserName: string;
  /** Display name of the cluster. */
  readonly clusterName: string;
  /**
   * Number of workers (the driver comes on top), 1 to 20.
   * @default - the variant's count: 1 (cpu), 2 (gpu); none for a single node
   */
  readonly workers?: number;
  /**
   * A single node: no workers; Spark runs its tasks on the driver's cores (CPU only: single-node
   * clusters schedule no GPUs).
   * @default false
   */
  readonly singleNode?: boolean;
  /**
   * Whether the deploy waits until the cluster runs. With many clusters, not waiting lets them start
   * together instead of holding the deploy for each.
   * @default true
   */
  readonly waitUntilRunning?: boolean;
  /**
   * Pin the cluster: Databricks deletes an unpinned all-purpose cluster 30 days after it
   * terminated, and the next deploy would then create (and start, and bill) a new one.
   * @default true
   */
  readonly pinned?: boolean;
}

/** An all-purpose ML cluster for the lab's notebook, dedicated to one user. */
export class MlCluster extends Construct {
  public readonly clusterId: string;
  /** Link to the cluster's page in the workspace. */
  public readonly clusterUrl: string;
  /** Escape hatch: the underlying databricks resource. */
  public readonly resource: Cluster;

  constructor(scope: Construct, id: string, props: MlClusterProps) {
    super(scope, id);
    const singleNode = props.singleNode ?? false;
    const shape: ResolvedMlClusterProps = {
      ...resolveClusterShape(props),
      singleNode,
      workers: props.workers ?? (singleNode ? 0 : props.variant.defaultWorkers),
    };
    validateAllProps(this, "MlCluster", shape, ML_CLUSTER_RULES);
    const { runtime, nodeType, workers, autoterminationMinutes } = shape;
    const pinned = props.pinned ?? true;
    const waitUntilRunning = props.waitUntilRunning ?? true;
    const tags =
      props.tags || singleNode ? { ...props.tags, ...(singleNode ? SINGLE_NODE.customTags : {}) } : undefined;

    // Only idempotency_token is ForceNew, and Databricks cannot turn a single node into a
    // multi-node cluster: a change of layout (LAB_VARIANT cpu <-> gpu for a student) replaces the
    // cluster through this marker. A marker added to a deployed cluster does not replace it.
    const layout = new TerraformData(this, "layout", { input: { nodes: singleNode ? "single-node" : "multi-node" } });
    this.resource = new Cluster(this, "cluster", {
      clusterName: props.clusterName,
      sparkVersion: runtime,
      nodeTypeId: nodeType,
      driverNodeTypeId: nodeType,
      numWorkers: workers,
      autoterminationMinutes,
      isPinned: pinned,
      // Unity Catalog runs ML runtimes only in dedicated mode, which names its one user.
      dataSecurityMode: "SINGLE_USER",
      singleUserName: props.singleUserName,
      // Spot VMs can be evicted mid-training; a lab run should not be.
      azureAttributes: { availability: "ON_DEMAND_AZURE" },
      customTags: tags,
      sparkConf: singleNode ? { ...SINGLE_NODE.sparkConf } : undefined,
      noWait: waitUntilRunning ? undefined : true,
      // A plain address: Terraform's JSON syntax takes no `${}` here (which cdktf writes for a construct).
      lifecycle: { replaceTriggeredBy: [`${layout.terraformResourceType}.${layout.friendlyUniqueId}`] },
    });
    this.clusterId = this.resource.id;
    this.clusterUrl = this.resource.url;
  }
}
