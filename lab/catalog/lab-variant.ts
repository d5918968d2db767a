import { Accelerator, horovodRuntimeKey } from "./runtimes";
import { VmSize } from "./vm-sizes";

export type VariantName = Accelerator;

/** A cluster's size: workers, or a single node (the driver runs the Spark tasks on its own cores). */
export interface StudentShape {
  readonly workers: number;
  readonly singleNode: boolean;
}

/** A cluster's nodes: its driver and its workers (a single-node cluster has 0 workers, 1 node). */
export function clusterNodes(workers: number): number {
  return workers + 1;
}

/**
 * CPU or GPU cluster: everything that differs between the two lives here, so no other file
 * branches on the variant.
 */
export class LabVariant {
  /** The lab's default: cheaper, and HorovodRunner(np=2) fits on one 4-core worker. */
  public static readonly CPU = new LabVariant("cpu", {
    runtimeKey: horovodRuntimeKey("cpu"),
    nodeType: "Standard_DS3_v2",
    workers: 1,
    slotUnit: "vCPU",
    // Microsoft's own lab ran HorovodRunner(np=2) on a single-node Standard_DS3_v2 (2023-12 to 2024-08).
    student: { workers: 0, singleNode: true },
  });

  /** One T4 per node, so two workers give the notebook's two Horovod processes a GPU each. */
  public static readonly GPU = new LabVariant("gpu", {
    runtimeKey: horovodRuntimeKey("gpu"),
    nodeType: "Standard_NC4as_T4_v3",
    workers: 2,
    slotUnit: "GPU",
    // Single-node clusters have no GPU scheduling, and the notebook pins one GPU per process.
    student: { workers: 2, singleNode: false },
  });

  public static readonly ALL: readonly LabVariant[] = [LabVariant.CPU, LabVariant.GPU];

  public static of(name: string): LabVariant | undefined {
    return LabVariant.ALL.find((f) => f.name === name);
  }

  /** Default runtime key: the last ML runtime with HorovodRunner (catalog/runtimes.ts). */
  public readonly defaultRuntimeKey: string;
  public readonly defaultNodeType: string;
  public readonly defaultWorkers: number;
  /** What a Horovod process occupies on this variant: one core on CPU, one GPU on GPU. */
  public readonly slotUnit: "vCPU" | "GPU";
  /** The shape of each student's cluster in a classroom: the smallest that runs the notebook. */
  public readonly student: StudentShape;

  private constructor(
    public readonly name: VariantName,
    defaults: {
      runtimeKey: string;
      nodeType: string;
      workers: number;
      slotUnit: "vCPU" | "GPU";
      student: StudentShape;
    },
  ) {
    this.defaultRuntimeKey = defaults.runtimeKey;
    this.defaultNodeType = defaults.nodeType;
    this.defaultWorkers = defaults.workers;
    this.slotUnit = defaults.slotUnit;
    this.student = defaults.student;
  }

  /** Nodes of each student's cluster in a classroom. */
  public get nodesPerStudent(): number {
    return clusterNodes(this.student.workers);
  }

  public get isGpu(): boolean {
    return this.name === "gpu";
  }

  /** Horovod processes the workers can host at once. */
  public taskSlots(size: VmSize, workers: number): number {
    return workers * (this.isGpu ? size.gpus : size.vcpus);
  }
}
