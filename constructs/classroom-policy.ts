import { ClusterPolicy } from "@cdktf/provider-databricks/lib/cluster-policy";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { Construct } from "constructs";
import { SINGLE_NODE } from "../lab/catalog/single-node";
import { CLUSTER_SHAPE_RULES, ClusterShape, ClusterShapeProps, resolveClusterShape } from "./cluster-shape";
import { Rule, validateAllProps } from "./validate-props";

/** The lab's cluster shape, which the policy fixes in the variant's student layout. */
export interface ClassroomPolicyProps extends ClusterShapeProps {
  /** Policy name, as students see it when they create compute: 1 to 100 characters, unique in the workspace. */
  readonly name: string;
  /** The group allowed to use the policy: a reference to the group resource, so the grant waits for it. */
  readonly groupName: string;
}

type PolicyRule =
  | { readonly type: "fixed"; readonly value: string | number | boolean; readonly hidden?: boolean }
  | { readonly type: "forbidden"; readonly hidden?: boolean };

/** The Cluster Policies API's limit on the name (databricks-sdk-go 0.93.0, compute CreatePolicy.Name). */
const MAX_POLICY_NAME = 100;

const CLASSROOM_POLICY_RULES: readonly Rule<ClusterShape & { readonly name: string }>[] = [
  {
    prop: "name",
    condition: ({ name }) => name.length < 1 || name.length > MAX_POLICY_NAME,
    message: ({ name }) => `name must be 1 to ${MAX_POLICY_NAME} characters, got ${name.length}`,
  },
  ...CLUSTER_SHAPE_RULES,
];

/**
 * A cluster policy that allows exactly the lab's student shape (runtime, size, workers or single
 * node, dedicated mode, on-demand VMs, auto-termination, tags), one cluster per user, usable by
 * one group and nothing else.
 */
export class ClassroomPolicy extends Construct {
  public readonly policyId: string;
  /** The name students pick when they create compute. */
  public readonly policyName: string;
  /** The rules, by attribute path, as written into the policy. */
  public readonly rules: Readonly<Record<string, PolicyRule>>;
  /** Escape hatch. */
  public readonly resource: ClusterPolicy;

  constructor(scope: Construct, id: string, props: ClassroomPolicyProps) {
    super(scope, id);
    const resolved = resolveClusterShape(props);
    validateAllProps(this, "ClassroomPolicy", { ...resolved, name: props.name }, CLASSROOM_POLICY_RULES);
    const { runtime, nodeType, autoterminationMinutes } = resolved;
    const shape = props.variant.student;
    const fixed = (value: string | number | boolean, hidden = false): PolicyRule => ({
      type: "fixed",
      value,
      ...(hidden ? { hidden } : {}),
    });
    const rules: Record<string, PolicyRule> = {
      cluster_type: fixed("all-purpose"),
      spark_version: fixed(runtime),
      node_type_id: fixed(nodeType),
      driver_node_type_id: fixed(nodeType, true),
      num_workers: fixed(shape.workers, true),
      // The documented paths: a bare `autoscale` is no policy attribute.
      "autoscale.min_workers": { type: "forbidden", hidden: true },
      "autoscale.max_workers": { type: "forbidden", hidden: true },
      instance_pool_id: { type: "forbidden", hidden: true },
      data_security_mode: fixed("SINGLE_USER", true),
      "azure_attributes.availability": fixed("ON_DEMAND_AZURE", true),
      autotermination_minutes: fixed(autoterminationMinutes),
      ...(shape.singleNode
        ? Object.fromEntries([
            ...Object.entries(SINGLE_NODE.sparkConf).map(([k, v]) => [`spark_conf.${k}`, fixed(v, true)]),
            ...Object.entries(SINGLE_NODE.customTags).map(([k, v]) => [`custom_tags.${k}`, fixed(v, true)]),
          ])
        : {}),
      ...Object.fromEntries(Object.entries(props.tags ?? {}).map(([k, v]) => [`custom_tags.${k}`, fixed(v, true)])),
    };
    this.rules = rules;
    this.resource = new ClusterPolicy(this, "policy", {
      name: props.name,
      description: `DP-090 lab: ${shape.singleNode ? "single node" : `${shape.workers} workers`} of ${nodeType}, one cluster per student.`,
      definition: JSON.stringify(rules),
      maxClustersPerUser: 1,
    });
    this.policyId = this.resource.id;
    this.policyName = props.name;
    new Permissions(this, "use", {
      clusterPolicyId: this.resource.id,
      accessControl: [{ groupName: props.groupName, permissionLevel: "CAN_USE" }],
    });
  }
}
