import { Token } from "cdktf";
import { ClusterFlavor } from "../lab/cluster-flavor";
import { parseMlRuntime } from "../lab/runtime-version";
import { AUTOTERMINATION_RANGE, WORKERS_RANGE } from "../lab/settings";

/** Checks what the cluster API would reject, all at once, before anything is synthesized. */
export function validateMlClusterProps(props: {
  flavor: ClusterFlavor;
  runtime: string;
  workers: number;
  autoterminationMinutes: number;
}): void {
  const problems: string[] = [];
  const inRange = (value: number, range: { min: number; max: number }) =>
    Token.isUnresolved(value) || (Number.isInteger(value) && value >= range.min && value <= range.max);

  if (!inRange(props.workers, WORKERS_RANGE)) {
    problems.push(`workers must be a whole number from ${WORKERS_RANGE.min} to ${WORKERS_RANGE.max}, got ${props.workers}`);
  }
  if (!inRange(props.autoterminationMinutes, AUTOTERMINATION_RANGE)) {
    problems.push(
      `autoterminationMinutes must be a whole number from ${AUTOTERMINATION_RANGE.min} to ${AUTOTERMINATION_RANGE.max}, got ${props.autoterminationMinutes}`,
    );
  }
  if (!Token.isUnresolved(props.runtime)) {
    const runtime = parseMlRuntime(props.runtime);
    if (!runtime || runtime.accelerator !== props.flavor.name) {
      problems.push(`runtime must be a -${props.flavor.name}-ml- runtime key for a ${props.flavor.name} cluster, got "${props.runtime}"`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid MlCluster props:\n  - ${problems.join("\n  - ")}`);
}
