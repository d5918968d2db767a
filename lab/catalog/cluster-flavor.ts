import { Accelerator, horovodRuntimeKey } from "./runtimes";
import { VmSize } from "./vm-sizes";

export type FlavorName = Accelerator;

/**
 * CPU or GPU cluster: everything that differs between the two lives here, so no other file
 * branches on the variant.
 */
export class ClusterFlavor {
  /** The lab's default: cheaper, and HorovodRunner(np=2) fits on one 4-core worker. */
  public static readonly CPU = new ClusterFlavor("cpu", {
    runtimeKey: horovodRuntimeKey("cpu"),
    nodeType: "Standard_DS3_v2",
    workers: 1,
    slotUnit: "vCPU",
  });

  /** One T4 per node, so two workers give the notebook's two Horovod processes a GPU each. */
  public static readonly GPU = new ClusterFlavor("gpu", {
    runtimeKey: horovodRuntimeKey("gpu"),
    nodeType: "Standard_NC4as_T4_v3",
    workers: 2,
    slotUnit: "GPU",
  });

  public static readonly ALL: readonly ClusterFlavor[] = [ClusterFlavor.CPU, ClusterFlavor.GPU];

  public static of(name: string): ClusterFlavor | undefined {
    return ClusterFlavor.ALL.find((f) => f.name === name);
  }

  /** Default runtime key: the last ML runtime with HorovodRunner (catalog/runtimes.ts). */
  public readonly defaultRuntimeKey: string;
  public readonly defaultNodeType: string;
  public readonly defaultWorkers: number;
  /** What a Horovod process occupies on this flavor: one core on CPU, one GPU on GPU. */
  public readonly slotUnit: "vCPU" | "GPU";

  private constructor(
    public readonly name: FlavorName,
    defaults: { runtimeKey: string; nodeType: string; workers: number; slotUnit: "vCPU" | "GPU" },
  ) {
    this.defaultRuntimeKey = defaults.runtimeKey;
    this.defaultNodeType = defaults.nodeType;
    this.defaultWorkers = defaults.workers;
    this.slotUnit = defaults.slotUnit;
  }

  public get isGpu(): boolean {
    return this.name === "gpu";
  }

  /** Horovod processes the workers can host at once. */
  public taskSlots(size: VmSize, workers: number): number {
    return workers * (this.isGpu ? size.gpus : size.vcpus);
  }
}
