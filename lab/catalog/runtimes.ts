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

const ML_RUNTIME_KEY = /^(\d+)\.(\d+|x)\.x-(cpu|gpu)-ml-scala(\d+\.\d+)$/;

export function parseMlRuntime(key: string): MlRuntime | undefined {
  const m = ML_RUNTIME_KEY.exec(key);
  if (!m) return undefined;
  return {
    key,
    major: Number(m[1]),
    minor: m[2] === "x" ? 0 : Number(m[2]),
    accelerator: m[3] as Accelerator,
    scala: m[4],
  };
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
