/** Versions of the tools the lab runs with. */

/** A Node.js release line the lab is tested on: `.ci/run` runs the README's commands on each. */
export interface NodeLine {
  /** The major version. */
  readonly major: number;
  /** The line's first long-term-support release, from which the lab supports it. */
  readonly from: string;
  /** The line's end of life on the Node.js release schedule. */
  readonly endOfLife: string;
}

/**
 * The tested lines, oldest first. cdktf 0.21 needs 20.9, the first LTS release of 20. `engines` in
 * package.json, the README's prerequisites and `.ci/run`'s Node binaries follow this table (tests
 * keep them equal).
 */
export const NODE_LINES: readonly NodeLine[] = [
  { major: 20, from: "20.9.0", endOfLife: "2026-04-30" },
  { major: 22, from: "22.11.0", endOfLife: "2027-04-30" },
  { major: 24, from: "24.11.0", endOfLife: "2028-04-30" },
];

/** The lines as package.json's `engines.node` states them. */
export const NODE_ENGINES = NODE_LINES.map((line) => `^${line.from}`).join(" || ");

/** The lines as people read them: "20.9, 22.11 or 24.11 (or later in the same line)". */
export const NODE_LINES_TEXT = `${NODE_LINES.map((line) => line.from.replace(/\.0$/, ""))
  .join(", ")
  .replace(/, ([^,]+)$/, " or $1")} (or later in the same line)`;

/**
 * How a Node.js version stands: in a tested line; older than every tested line (cdktf cannot run);
 * or another line (an odd-numbered one, a newer one, or an early release of a tested one): untested.
 */
export function nodeSupport(version: string): "tested" | "too-old" | "untested" {
  const [major, minor, patch] = version
    .replace(/^v/, "")
    .split(".")
    .map((n) => parseInt(n, 10) || 0);
  const atLeast = (from: string) => {
    const [a, b, c] = from.split(".").map(Number);
    return major !== a ? major > a : minor !== b ? minor > b : patch >= c;
  };
  if (!atLeast(NODE_LINES[0].from)) return "too-old";
  return NODE_LINES.some((line) => line.major === major && atLeast(line.from)) ? "tested" : "untested";
}

/** Terraform: cdktf needs 1.2; the stack's `terraform_data` (the workspace's ready marker) needs 1.4. */
export const MIN_TERRAFORM_VERSION = "1.4.0";
