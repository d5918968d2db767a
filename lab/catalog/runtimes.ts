/** Databricks runtimes: what the lab's notebook needs and which versions are still supported. */

export type Accelerator = "cpu" | "gpu";

/** A Databricks ML runtime key, e.g. `15.4.x-gpu-ml-scala2.12`, taken apart. */
export interface MlRuntime {
  readonly key: string;
  readonly major: number;
  readonly minor: number;
  readonly accelerator: Accelerator;
  readonly scala: string;
}

/**
 * The last ML runtime that ships HorovodRunner (`sparkdl`), which the lab's notebook imports:
 * Databricks Runtime 16.0 ML and later no longer do. Long-term support until 2027-08-19.
 */
export const HOROVOD_RUNTIME = {
  major: 15,
  minor: 4,
  label: "15.4 LTS ML",
  scala: "2.12",
  supportEnds: "2027-08-19",
} as const;

/**
 * Long-term-support runtime versions still supported in 2026-11 (an LTS runtime gets three years
 * from release: 14.3 from 2024-02, 15.4 until 2027-08-19, 16.4, 17.3). 13.3 LTS and older are past
 * their end of support. Update this list as runtimes come and go.
 */
export const SUPPORTED_LTS_VERSIONS: readonly string[] = ["14.3", "15.4", "16.4", "17.3"];

/** The HorovodRunner runtime's key for CPU or GPU clusters. */
export function horovodRuntimeKey(accelerator: Accelerator): string {
  return `${HOROVOD_RUNTIME.major}.${HOROVOD_RUNTIME.minor}.x-${accelerator}-ml-scala${HOROVOD_RUNTIME.scala}`;
}

/** Any Databricks runtime key, e.g. `15.4.x-scala2.12`, `15.4.x-photon-scala2.12`, `15.4.x-gpu-ml-scala2.12`, taken apart. */
export interface RuntimeKey {
  readonly key: string;
  /** `15.4`: what long-term support is announced for. */
  readonly version: string;
  readonly major: number;
  /** 0 for an `x` minor. */
  readonly minor: number;
  /** The parts between the version and Scala: `["gpu", "ml"]`, `["photon"]`, or none. */
  readonly variant: readonly string[];
  readonly ml: boolean;
  /** `cpu` or `gpu` when the key names one (ML runtimes do). */
  readonly accelerator?: Accelerator;
  readonly scala: string;
}

const RUNTIME_KEY = /^(\d+)\.(\d+|x)\.x-(?:(.+)-)?scala(\d+\.\d+)$/;

/** The one parser of runtime keys: settings, constructs, rules and the state all read keys with it. */
export function parseRuntimeKey(key: string): RuntimeKey | undefined {
  const m = RUNTIME_KEY.exec(key);
  if (!m) return undefined;
  const variant = m[3] ? m[3].split("-") : [];
  const accelerator = variant.find((part): part is Accelerator => part === "cpu" || part === "gpu");
  return {
    key,
    version: `${m[1]}.${m[2]}`,
    major: Number(m[1]),
    minor: m[2] === "x" ? 0 : Number(m[2]),
    variant,
    ml: variant.includes("ml"),
    ...(accelerator ? { accelerator } : {}),
    scala: m[4],
  };
}

/** An ML runtime key for CPU or GPU clusters (`<version>.x-cpu-ml-scala…` or `-gpu-ml-`), else undefined. */
export function parseMlRuntime(key: string): MlRuntime | undefined {
  const runtime = parseRuntimeKey(key);
  if (!runtime?.accelerator || runtime.variant.join("-") !== `${runtime.accelerator}-ml`) return undefined;
  const { major, minor, accelerator, scala } = runtime;
  return { key, major, minor, accelerator, scala };
}

/** Databricks Runtime 7.x ships Spark 3.0; 8.0 is the first with Spark 3.1. */
export function hasSparkAbove30(runtime: MlRuntime): boolean {
  return runtime.major >= 8;
}

export function hasScalaAbove211(runtime: MlRuntime): boolean {
  const [major, minor] = runtime.scala.split(".").map(Number);
  return major > 2 || (major === 2 && minor > 11);
}

export function isNewerThanHorovodRuntime(runtime: MlRuntime): boolean {
  const last = HOROVOD_RUNTIME;
  return runtime.major > last.major || (runtime.major === last.major && runtime.minor > last.minor);
}
