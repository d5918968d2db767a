import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";

/** A notebook as a DBC stores it: JSON, version NotebookV1. */
export function notebookJson(name: string, command = "from sparkdl import HorovodRunner"): string {
  return JSON.stringify({
    version: "NotebookV1",
    origId: 1,
    name,
    language: "python",
    commands: [{ version: "CommandV1", command }],
  });
}

/** A small DBC shaped like the lab's 06 archive: one folder, one Python notebook. */
export function makeDbc(
  folder = "06 - Distributed Deep Learning",
  notebooks = ["1.0 Distributed Deep Learning with Horovod"],
): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const name of notebooks) entries[`${folder}/${name}.python`] = strToU8(notebookJson(name));
  return Buffer.from(zipSync(entries, FIXED_TIME));
}

// zip entries carry a modification time; a fixed one keeps the bytes, the sum and the snapshots stable.
const FIXED_TIME = { mtime: new Date("2021-06-01T00:00:00Z") };

export function makeZip(entries: Record<string, string>): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(entries)) files[name] = strToU8(text);
  return Buffer.from(zipSync(files, FIXED_TIME));
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** All temporary files of this test process live here; `setup.ts` removes it after each file. */
export const TEMP_ROOT = join(tmpdir(), `dp090-lab-tests-${process.pid}`);

export function tempDir(prefix = "t-"): string {
  mkdirSync(TEMP_ROOT, { recursive: true });
  return mkdtempSync(join(TEMP_ROOT, prefix));
}

export function writeTemp(name: string, bytes: Uint8Array | string, dir = tempDir()): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
