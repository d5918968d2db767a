import { join } from "node:path";
import { Testing } from "cdktf";
import { LabStack, LabStackProps } from "../../constructs";
import { ARCHIVE_CACHE, resolveNotebookArchive } from "../../lab/archive/notebook-archive";
import { loadSettings } from "../../lab/settings";
import { makeDbc, tempDir, writeTemp } from "./dbc";

/** Stack props from settings as a user would give them, with a local archive so no test downloads anything. */
export async function labInputs(env: Record<string, string> = {}): Promise<LabStackProps> {
  const dir = tempDir();
  const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
  const { settings } = loadSettings(
    { LAB_NOTEBOOK_FILE: file, LAB_CACHE_DIR: join(dir, "cache"), ...env },
    { cwd: dir },
  );
  const archive = await resolveNotebookArchive(settings.notebook, { cacheDir: join(settings.cacheDir, ARCHIVE_CACHE) });
  return { ...settings, archive };
}

export interface Synthesized {
  readonly stack: LabStack;
  readonly text: string;
  readonly json: any;
}

/** Synthesizes with validations on, as `cdktf synth` does. */
export function synthLab(inputs: LabStackProps): Synthesized {
  const app = Testing.app({ outdir: tempDir("app-") });
  const stack = new LabStack(app, inputs.name, inputs);
  const text = Testing.synth(stack, true);
  return { stack, text, json: JSON.parse(text) };
}

/** The one resource (or data source) of a type; fails the test if there is not exactly one. */
export function only(json: any, type: string, kind: "resource" | "data" = "resource"): any {
  const all = Object.values(json[kind]?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${kind} ${type}, found ${all.length}`);
  return all[0];
}
