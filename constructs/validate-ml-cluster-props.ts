import { WORKERS_RANGE } from "../lab/catalog/limits";
import { CLUSTER_SHAPE_RULES, ClusterShape } from "./cluster-shape";
import { Rule, wholeNumberIn } from "./validate-props";

/** An ML cluster's props with their defaults filled in: what its rules judge. */
export interface ResolvedMlClusterProps extends ClusterShape {
  readonly workers: number;
  readonly singleNode: boolean;
}

const workersRange = wholeNumberIn<ResolvedMlClusterProps>("workers", WORKERS_RANGE);

/** What the Clusters API would reject, in the order the error lists it. */
export const ML_CLUSTER_RULES: readonly Rule<ResolvedMlClusterProps>[] = [
  {
    prop: "workers",
    condition: ({ singleNode, workers }) => singleNode && workers !== 0,
    message: ({ workers }) => `workers must be 0 (or unset) for a single node, got ${workers}`,
  },
  {
    prop: "singleNode",
    condition: ({ singleNode, variant }) => singleNode && variant.isGpu,
    message: () => "singleNode is for CPU clusters: a single-node cluster schedules no GPUs",
  },
  { ...workersRange, condition: (props) => !props.singleNode && workersRange.condition(props) },
  ...CLUSTER_SHAPE_RULES,
];
