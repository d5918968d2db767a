import { LabVariant } from "../lab/catalog/lab-variant";
import { AUTOTERMINATION_RANGE, DEFAULT_AUTOTERMINATION_MINUTES } from "../lab/catalog/limits";
import { parseMlRuntime } from "../lab/catalog/runtimes";
import { Rule, wholeNumberIn } from "./validate-props";

/**
 * What every cluster of the lab is made of, declared once: the instructor's, each student's and
 * the class policy's extend it.
 */
export interface ClusterShapeProps {
  /** CPU or GPU: decides the defaults for runtime, node type and workers. */
  readonly variant: LabVariant;
  /**
   * Databricks runtime key; must be an ML runtime of the variant.
   * @default - the variant's 15.4 LTS ML key, the last with HorovodRunner
   */
  readonly runtime?: string;
  /**
   * VM size of the driver and the workers.
   * @default - the variant's size: Standard_DS3_v2 (cpu), Standard_NC4as_T4_v3 (gpu)
   */
  readonly nodeType?: string;
  /**
   * Minutes of inactivity before the cluster stops itself, 10 to 10000.
   * @default 120
   */
  readonly autoterminationMinutes?: number;
  /**
   * Tags for the cluster's VMs and disks (added to the ones Databricks sets).
   * @default - no custom tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A shape with its defaults filled in. */
export interface ClusterShape {
  readonly variant: LabVariant;
  readonly runtime: string;
  readonly nodeType: string;
  readonly autoterminationMinutes: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export function resolveClusterShape(props: ClusterShapeProps): ClusterShape {
  return {
    variant: props.variant,
    runtime: props.runtime ?? props.variant.defaultRuntimeKey,
    nodeType: props.nodeType ?? props.variant.defaultNodeType,
    autoterminationMinutes: props.autoterminationMinutes ?? DEFAULT_AUTOTERMINATION_MINUTES,
    tags: props.tags,
  };
}

/** What the Clusters API (and the lab's notebook) would refuse of any shape. */
export const CLUSTER_SHAPE_RULES: readonly Rule<ClusterShape>[] = [
  wholeNumberIn("autoterminationMinutes", AUTOTERMINATION_RANGE),
  {
    prop: "runtime",
    condition: ({ runtime, variant }) => parseMlRuntime(runtime)?.accelerator !== variant.name,
    message: ({ runtime, variant }) =>
      `runtime must be a -${variant.name}-ml- runtime key for a ${variant.name} cluster, got "${runtime}"`,
  },
];
