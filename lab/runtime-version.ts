/** A Databricks ML runtime key, e.g. `15.4.x-gpu-ml-scala2.12`, taken apart. */
export interface MlRuntime {
  readonly key: string;
  readonly major: number;
  readonly minor: number;
  readonly accelerator: "cpu" | "gpu";
  readonly scala: string;
}

const ML_RUNTIME_KEY = /^(\d+)\.(\d+|x)\.x-(cpu|gpu)-ml-scala(\d+\.\d+)$/;

/** The last ML runtime that ships HorovodRunner (`sparkdl`), which the lab's notebook imports. */
export const LAST_HOROVOD_RUNTIME = { major: 15, minor: 4 } as const;

export function parseMlRuntime(key: string): MlRuntime | undefined {
  const m = ML_RUNTIME_KEY.exec(key);
  if (!m) return undefined;
  return {
    key,
    major: Number(m[1]),
    minor: m[2] === "x" ? 0 : Number(m[2]),
    accelerator: m[3] as "cpu" | "gpu",
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
  const last = LAST_HOROVOD_RUNTIME;
  return runtime.major > last.major || (runtime.major === last.major && runtime.minor > last.minor);
}
