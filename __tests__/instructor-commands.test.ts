import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { makeDbc, tempDir, writeTemp } from "./helpers/dbc";

const ROOT = join(__dirname, "..");

/** Runs a command as npm does, with no Azure login on PATH (no `az`) and no network to reach. */
function run(command: string, args: string[], dir: string, env: Record<string, string> = {}) {
  return spawnSync("node", [join(ROOT, "scripts", "run-app.js"), command, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin", HOME: dir, LAB_NOTEBOOK_FILE: writeTemp("lab.dbc", makeDbc(), dir), ...env },
  });
}

describe("the instructor commands, as npm runs them", () => {
  test.each(["commands/export-work.ts", "commands/status.ts"])(
    "%s: a lab that is not deployed is a user error naming the state it looked in",
    (command) => {
      const dir = tempDir("instructor-");
      const result = run(command, [], dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^Lab dp090-ddl has no deployed workspace \\(nothing in ${join(dir, "terraform.dp090-ddl.tfstate")}\\); `,
        ),
      );
    },
  );

  test("clusters without start or stop is refused before anything is read", () => {
    const result = run("commands/clusters.ts", ["restart"], tempDir("instructor-"));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "npm run clusters needs one action, start or stop (got: restart); nothing was changed.\nFix: npm run clusters -- start (before a session) or npm run clusters -- stop (after it).\n",
    );
  });

  test("labs with remote state it cannot read: says so and which blob, and lists the rest", () => {
    const dir = tempDir("instructor-");
    const result = run("commands/labs.ts", [], dir, { LAB_STATE_STORAGE_ACCOUNT: "stnowhere" });
    // A lab it cannot see may still be billing: not a pass.
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^Not listed: The lab's state in Azure Storage \(account stnowhere, container tfstate, blob dp090-ddl\.tfstate\) could not be read: /,
    );
    expect(result.stdout).toContain("No lab has resources in");
  });
});
