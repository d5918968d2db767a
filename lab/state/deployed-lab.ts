import { ClassroomCompute } from "../catalog/classroom-compute";
import { LabVariant, clusterNodes } from "../catalog/lab-variant";
import { parseRuntimeKey } from "../catalog/runtimes";
import { ClusterState, LabState, NotebookState } from "./local-state";

/** What a lab's state says the lab is: its parts, told apart, and the settings they imply. */
export interface DeployedLab {
  readonly state: LabState;
  /** The workspace's region, else the resource group's. */
  readonly location?: string;
  /** The lab's own cluster, dedicated to whoever deployed (not to a student). */
  readonly labCluster?: ClusterState;
  /** The clusters dedicated to the class's students (personal compute). */
  readonly studentClusters: readonly ClusterState[];
  /** CPU or GPU, from the lab cluster's runtime key. */
  readonly variant?: LabVariant;
  /** How the class got its compute: clusters in the state mean personal, none mean policy. */
  readonly classroomCompute?: ClassroomCompute;
  /** The lab's notebook folders, not the students' copies. */
  readonly labNotebooks: readonly NotebookState[];
}

/** Tells a lab's parts apart: a class's clusters are dedicated to its students, the lab's own to its deployer. */
export function deployedLab(state: LabState): DeployedLab {
  const students = new Set(state.students.map((s) => s.email));
  const labCluster = state.clusters.find((c) => !students.has(c.singleUserName));
  const studentClusters = state.clusters.filter((c) => students.has(c.singleUserName));
  const accelerator = labCluster && parseRuntimeKey(labCluster.runtime)?.accelerator;
  return {
    state,
    location: state.workspace?.location ?? state.resourceGroup?.location,
    labCluster,
    studentClusters,
    variant: labCluster && (accelerator === "gpu" ? LabVariant.GPU : LabVariant.CPU),
    classroomCompute:
      students.size > 0
        ? studentClusters.length > 0
          ? ClassroomCompute.PERSONAL
          : ClassroomCompute.POLICY
        : undefined,
    labNotebooks: state.notebooks.filter(
      (n) => !state.students.some((s) => s.folder && n.path.startsWith(`${s.folder}/`)),
    ),
  };
}

/** What exists, one phrase per part, for a person deciding whether to destroy it. */
export function describeParts(lab: DeployedLab): string[] {
  const { state, labCluster } = lab;
  return [
    state.resourceGroup && `resource group ${state.resourceGroup.name}`,
    state.workspace && `workspace ${state.workspace.name}`,
    labCluster && `cluster ${labCluster.name} (${clusterNodes(labCluster.workers)} x ${labCluster.nodeType})`,
    ...lab.labNotebooks.map((n) => `notebooks ${n.path}`),
    state.students.length > 0 && `a class of ${state.students.length} (${lab.studentClusters.length} student clusters)`,
  ].filter((x): x is string => Boolean(x));
}
