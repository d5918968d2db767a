import { Token } from "cdktf";
import { ClusterFlavor } from "../lab/catalog/cluster-flavor";
import { AUTOTERMINATION_RANGE, Range, WORKERS_RANGE, inRange } from "../lab/catalog/limits";
import { parseMlRuntime } from "../lab/catalog/runtimes";

/** What the Clusters API would reject, all at once; values only known at deploy time are skipped. */
export function validateMlClusterProps(props: {
  flavor: ClusterFlavor;
  runtime: string;
  workers: number;
  autoterminationMinutes: number;
  singleNode: boolean;
}): string[] {
  const problems: string[] = [];
  const ok = (value: number, range: Range) => Token.isUnresolved(value) || inRange(value, range);

  if (props.singleNode) {
    if (props.workers !== 0) problems.push(`workers must be 0 (or unset) for a single node, got ${props.workers}`);
    if (props.flavor.isGpu) problems.push("singleNode is for CPU clusters: a single-node cluster schedules no GPUs");
  } else if (!ok(props.workers, WORKERS_RANGE)) {
    problems.push(
      `workers must be a whole number from ${WORKERS_RANGE.min} to ${WORKERS_RANGE.max}, got ${props.workers}`,
    );
  }
  if (!ok(props.autoterminationMinutes, AUTOTERMINATION_RANGE)) {
    problems.push(
      `autoterminationMinutes must be a whole number from ${AUTOTERMINATION_RANGE.min} to ${AUTOTERMINATION_RANGE.max}, got ${props.autoterminationMinutes}`,
    );
  }
  if (!Token.isUnresolved(props.runtime)) {
    const runtime = parseMlRuntime(props.runtime);
    if (!runtime || runtime.accelerator !== props.flavor.name) {
      problems.push(
        `runtime must be a -${props.flavor.name}-ml- runtime key for a ${props.flavor.name} cluster, got "${props.runtime}"`,
      );
    }
  }
  return problems;
}
