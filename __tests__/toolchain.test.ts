import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { NODE_ENGINES, NODE_LINES, NODE_LINES_TEXT, nodeSupport } from "../lab/catalog/toolchain";

const ROOT = join(__dirname, "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** The version just before another in its line ("22.11.0" -> "22.10.99"), or "" for a line's x.0.0. */
function justBefore(version: string): string {
  const [major, minor, patch] = version.split(".").map(Number);
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  return minor > 0 ? `${major}.${minor - 1}.99` : "";
}

describe("the tested Node.js lines", () => {
  test.each(NODE_LINES)("$major: from its first LTS release $from on, tested", (line) => {
    expect(line.from.startsWith(`${line.major}.`)).toBe(true);
    expect(nodeSupport(`v${line.from}`)).toBe("tested");
    expect(nodeSupport(`v${line.major}.99.0`)).toBe("tested");
    const before = justBefore(line.from);
    if (before) expect(nodeSupport(`v${before}`)).toBe(line === NODE_LINES[0] ? "too-old" : "untested");
  });

  test.each(NODE_LINES)("$major: the odd line after it is untested", (line) => {
    expect(nodeSupport(`v${line.major + 1}.0.0`)).toBe("untested");
  });

  test("lines older than the oldest are too old, newer than the newest untested", () => {
    expect(nodeSupport(`v${NODE_LINES[0].major - 2}.19.0`)).toBe("too-old");
    expect(nodeSupport(`v${NODE_LINES[NODE_LINES.length - 1].major + 2}.0.0`)).toBe("untested");
  });

  test("are listed oldest first, each even and ending later than the one before", () => {
    for (const [i, line] of NODE_LINES.entries()) {
      expect(line.major % 2).toBe(0);
      if (i > 0) {
        expect(line.major).toBeGreaterThan(NODE_LINES[i - 1].major);
        expect(line.endOfLife > NODE_LINES[i - 1].endOfLife).toBe(true);
      }
    }
  });

  test("are what package.json's engines states", () => {
    expect(JSON.parse(read("package.json")).engines.node).toBe(NODE_ENGINES);
    expect(NODE_ENGINES).toBe(NODE_LINES.map((l) => `^${l.from}`).join(" || "));
  });

  test("are what the README's prerequisites state, in both languages", () => {
    expect(read("README.md")).toContain(`- Node.js ${NODE_LINES_TEXT}`);
    const ja = read("README.ja.md")
      .split("\n")
      .find((l) => l.startsWith("- Node.js "));
    expect(ja).toContain(NODE_LINES.map((l) => l.from.replace(/\.0$/, "")).join("、"));
  });

  test("are each run by CI: the machine's Node for the oldest, one pinned Node binary for every other", () => {
    const ci = read(".ci/run");
    const pinned = [...ci.matchAll(/^\s*(\d+\.\d+\.\d+)\s*# Node\.js (\d+)/gm)].map((m) => [m[1], Number(m[2])]);
    expect(pinned.map(([, major]) => major)).toEqual(NODE_LINES.slice(1).map((l) => l.major));
    for (const [version, major] of pinned) {
      expect([version, String(version).startsWith(`${major}.`), nodeSupport(String(version))]).toEqual([
        version,
        true,
        "tested",
      ]);
    }
    expect(ci).toContain(`machine_node_major=${NODE_LINES[0].major}`);
  });
});

/** What cdktf-cli uses of node-pty (its types declare the module "node-pty", not the name it is installed as). */
interface Pty {
  spawn(
    file: string,
    args: string[],
    options: object,
  ): { onData(listener: (data: string) => void): void; onExit(listener: (e: { exitCode: number }) => void): void };
}

describe("the pseudo-terminal cdktf-cli loads at start-up, for every command", () => {
  const fromCli = { paths: [dirname(require.resolve("cdktf-cli/package.json"))] };

  test("is the Node-API build, which serves every Node.js line, not cdktf's per-ABI one", () => {
    const manifest = require.resolve("@cdktf/node-pty-prebuilt-multiarch/package.json", fromCli);
    expect(JSON.parse(readFileSync(manifest, "utf8")).name).toBe("@lydell/node-pty");
  });

  test("is the one cdktf-cli finds, from where it looks", () => {
    expect(require.resolve("@cdktf/node-pty-prebuilt-multiarch", fromCli)).toBe(
      require.resolve("@cdktf/node-pty-prebuilt-multiarch"),
    );
  });

  test("runs a program on this Node.js and reports its output and exit code", async () => {
    const { spawn } = createRequire(__filename)(require.resolve("@cdktf/node-pty-prebuilt-multiarch", fromCli)) as Pty;
    const child = spawn(process.execPath, ["-e", "process.stdout.write('from the pty'); process.exit(3)"], {});
    let output = "";
    child.onData((data) => (output += data));
    const exitCode = await new Promise<number>((resolve) => child.onExit((e) => resolve(e.exitCode)));
    expect([output, exitCode]).toEqual(["from the pty", 3]);
  });
});
