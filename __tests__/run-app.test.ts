import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/dbc";

const ROOT = join(__dirname, "..");

/** A tiny project laid out like this one, run by a copy of the real runner. */
function miniProject(): { dir: string; run: () => string } {
  const dir = tempDir("runner-");
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(ROOT, "scripts", "run-app.js"), join(dir, "scripts", "run-app.js"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "main.ts"), 'import { message } from "./lib/message";\nconsole.log(message);\n');
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "lib", "message.ts"), 'export const message: string = "first";\n');
  return {
    dir,
    run: () => execFileSync("node", [join(dir, "scripts", "run-app.js")], { cwd: dir, encoding: "utf8" }).trim(),
  };
}

describe("scripts/run-app.js", () => {
  test("runs TypeScript without a separate build step", () => {
    expect(miniProject().run()).toBe("first");
  });

  test("picks up an edit to an imported .ts file on the next run", () => {
    const project = miniProject();
    expect(project.run()).toBe("first");
    writeFileSync(join(project.dir, "lib", "message.ts"), 'export const message: string = "edited";\n');
    expect(project.run()).toBe("edited");
  });

  test("reuses the bundle while no input changed", () => {
    const project = miniProject();
    project.run();
    const bundle = join(project.dir, ".build", "main.js");
    const before = statSync(bundle).mtimeMs;
    expect(project.run()).toBe("first");
    expect(statSync(bundle).mtimeMs).toBe(before);
  });
});
