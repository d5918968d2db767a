import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(__dirname, "..");

/** Which top-level areas each area may import from; see ARCHITECTURE.md. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  "lab/errors.ts": [],
  "lab/catalog": [],
  "lab/net": [],
  "lab/settings": ["lab/catalog", "lab/net", "lab/errors.ts"],
  "lab/archive": ["lab/catalog", "lab/settings", "lab/net", "lab/errors.ts"],
  "lab/pricing": ["lab/catalog", "lab/settings", "lab/net", "lab/errors.ts"],
  "lab/state": ["lab/catalog", "lab/errors.ts"],
  "lab/azure": ["lab/catalog", "lab/settings", "lab/state", "lab/net", "lab/errors.ts"],
  "lab/databricks": ["lab/catalog", "lab/state", "lab/net", "lab/errors.ts"],
  // Constructs get typed props, never the settings: they may use the facts, not the settings.
  constructs: ["lab/catalog", "lab/errors.ts"],
  commands: ["lab", "constructs"],
  "main.ts": ["lab", "constructs", "commands"],
};

/** Packages only the constructs (and the entry point that builds them) may use. */
const CDKTF_PACKAGES = /^(cdktf|constructs|@cdktf\/)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function areaOf(file: string): string {
  return Object.keys(MAY_IMPORT)
    .filter((area) => file === area || file.startsWith(`${area}/`))
    .sort((a, b) => b.length - a.length)[0];
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:^|\n)(?:import|export)[^;]*? from "([^"]+)"/g)].map((m) => m[1]);
}

const FILES = ["main.ts", ...sourceFiles("lab"), ...sourceFiles("constructs"), ...sourceFiles("commands")];

describe("the direction of imports (ARCHITECTURE.md)", () => {
  test.each(FILES)("%s imports only what its area may", (file) => {
    const area = areaOf(file);
    const wrong: string[] = [];
    for (const spec of importsOf(file)) {
      if (!spec.startsWith(".")) {
        if (file.startsWith("lab/") && CDKTF_PACKAGES.test(spec)) wrong.push(`${spec} (lab/ has no cdktf dependency)`);
        continue;
      }
      const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
      const targetArea = areaOf(`${target}.ts`) ?? areaOf(target);
      if (targetArea === area) continue;
      const allowed = MAY_IMPORT[area].some((a) => targetArea === a || targetArea.startsWith(`${a}/`));
      if (!allowed) wrong.push(`${spec} (${targetArea})`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("ARCHITECTURE.md", () => {
  const doc = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");

  test("names every folder of lab/ and constructs/, and no folder that does not exist", () => {
    const folders = ["lab", "constructs"].flatMap((top) =>
      readdirSync(join(ROOT, top))
        .filter((name) => statSync(join(ROOT, top, name)).isDirectory())
        .map((name) => `${top}/${name}/`),
    );
    for (const folder of folders) expect([folder, doc.includes(folder)]).toEqual([folder, true]);
    const named = [...doc.matchAll(/\b((?:lab|constructs)\/[a-z-]+\/)/g)].map((m) => m[1]);
    for (const folder of named) expect([folder, folders.includes(folder)]).toEqual([folder, true]);
  });
});
