import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = join(__dirname, "..");
/** The README and the docs pages: a command the workflow runs is documented in one of them. */
const README = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)]
  .map((file) => readFileSync(join(ROOT, file), "utf8"))
  .join("\n");
const workflow = parse(readFileSync(join(ROOT, ".github", "workflows", "lab.yml"), "utf8"));

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
const steps: Step[] = Object.values<{ steps: Step[] }>(workflow.jobs).flatMap((job) => job.steps);

/** The project commands a step runs: npm and npx lines, without output plumbing (colour, pipes). */
function commands(step: Step): string[] {
  return (step.run ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^(npm|npx) /.test(line))
    .map((line) => line.replace(/\s+2>&1.*$|\s*\|.*$/, "").replace(" --no-color", ""));
}

describe("the GitHub Actions workflow teams copy", () => {
  test("runs only commands the README and docs document", () => {
    const run = [...new Set(steps.flatMap(commands))];
    expect(run).toEqual(
      expect.arrayContaining([
        "npm ci",
        "npm test",
        "npm run preflight",
        "npx cdktf diff",
        "npx cdktf deploy --auto-approve",
      ]),
    );
    for (const command of run) expect([command, README.includes(command)]).toEqual([command, true]);
  });

  test("signs in to Azure by OpenID Connect, with no client secret anywhere", () => {
    const text = readFileSync(join(ROOT, ".github", "workflows", "lab.yml"), "utf8");
    expect(workflow.env.ARM_USE_OIDC).toBe("true");
    expect(text).not.toMatch(/secrets\.|client-secret|ARM_CLIENT_SECRET|ARM_ACCESS_KEY/);
    for (const job of ["plan", "deploy", "destroy"]) expect(workflow.jobs[job].permissions["id-token"]).toBe("write");
    const logins = steps.filter((s) => s.uses?.startsWith("azure/login@"));
    expect(logins).toHaveLength(3);
    for (const login of logins)
      expect(Object.keys(login.with ?? {}).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
  });

  test("keeps its state in the remote backend the settings describe", () => {
    for (const name of ["LAB_STATE_STORAGE_ACCOUNT", "LAB_STATE_CONTAINER", "LAB_STATE_RESOURCE_GROUP"]) {
      expect(workflow.env[name]).toBe(`\${{ vars.${name} }}`);
    }
  });

  test("deploys and destroys only when run by hand, and plans on pull requests", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "workflow_dispatch"]);
    expect(workflow.jobs.plan.if).toBe("github.event_name == 'pull_request'");
    expect(workflow.jobs.deploy.if).toMatch(
      /^github\.event_name == 'workflow_dispatch' && inputs\.action == 'deploy'$/,
    );
    expect(workflow.jobs.destroy.if).toMatch(
      /^github\.event_name == 'workflow_dispatch' && inputs\.action == 'destroy'$/,
    );
  });
});
