import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { NODE_LINES } from "../lab/catalog/toolchain";
import { SettingsError, loadSettings } from "../lab/settings";
import { tempDir } from "./helpers/dbc";

const ROOT = join(__dirname, "..");
/** The README and the docs pages: a command the workflow runs is documented in one of them. */
const README = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)]
  .map((file) => readFileSync(join(ROOT, file), "utf8"))
  .join("\n");
const TEXT = readFileSync(join(ROOT, ".github", "workflows", "lab.yml"), "utf8");
const workflow = parse(TEXT);

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string;
  environment?: string;
  "timeout-minutes"?: number;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
const jobs: Record<string, Job> = workflow.jobs;
const steps: Step[] = Object.values(jobs).flatMap((job) => job.steps);

/** The project commands a step runs: npm and npx lines, without output plumbing (colour, pipes, quiet). */
function commands(step: Step): string[] {
  return (step.run ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^(npm|npx) /.test(line))
    .map((line) =>
      line
        .replace(/\s+2>&1.*$|\s*\|.*$/, "")
        .replace(" --silent", "")
        .replace(/"\$RUNNER_TEMP\/lab\/(.+?)"/, "$1"),
    );
}

/** The index of the first step of `job` whose run text matches, or -1. */
const stepIndex = (job: Job, pattern: RegExp) => job.steps.findIndex((s) => pattern.test(s.run ?? ""));

describe("the GitHub Actions workflow teams copy", () => {
  test("runs only commands the README and docs document", () => {
    const run = [...new Set(steps.flatMap(commands))];
    expect(run.sort()).toEqual(
      [
        "npm ci",
        "npm test",
        "npm run preflight",
        "npx cdktf synth",
        "npm run review-plan -- plan.json",
        "npm run class-sheet",
        "npm run destroy -- --auto-approve",
      ].sort(),
    );
    for (const command of run) expect([command, README.includes(command)]).toEqual([command, true]);
  });

  test("pull requests plan with their own read-only identity; only the lab environment holds the deploy identity", () => {
    expect(workflow.env.ARM_CLIENT_ID).toBeUndefined();
    const plan = jobs.plan;
    expect(plan.environment).toBeUndefined();
    expect(plan.env?.ARM_CLIENT_ID).toBe("${{ vars.AZURE_PLAN_CLIENT_ID }}");
    expect(JSON.stringify(plan)).not.toContain("vars.AZURE_CLIENT_ID");
    expect(plan.steps.find((s) => s.uses?.startsWith("azure/login@"))?.with?.["client-id"]).toBe(
      "${{ vars.AZURE_PLAN_CLIENT_ID }}",
    );
    for (const name of ["deploy", "destroy"]) {
      expect([name, jobs[name].environment]).toEqual([name, "lab"]);
      expect(jobs[name].env?.ARM_CLIENT_ID).toBe("${{ vars.AZURE_CLIENT_ID }}");
      expect(jobs[name].steps.find((s) => s.uses?.startsWith("azure/login@"))?.with?.["client-id"]).toBe(
        "${{ vars.AZURE_CLIENT_ID }}",
      );
    }
    // Jobs that may not change Azure have nothing to apply with.
    for (const name of ["test", "fork", "plan"]) {
      expect([name, JSON.stringify(jobs[name])]).not.toEqual([
        name,
        expect.stringMatching(/terraform apply|cdktf deploy|npm run destroy/),
      ]);
    }
  });

  test("a pull request's plan takes no state lock and asks Azure to register nothing", () => {
    const plans =
      jobs.plan.steps
        .map((s) => s.run ?? "")
        .join("\n")
        .match(/terraform plan .*/g) ?? [];
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain("-lock=false");
    expect(jobs.plan.env?.ARM_RESOURCE_PROVIDER_REGISTRATIONS).toBe("none");
  });

  test("signs in by OpenID Connect, with no client secret anywhere", () => {
    expect(workflow.env.ARM_USE_OIDC).toBe("true");
    expect(TEXT).not.toMatch(/secrets\.|client-secret|ARM_CLIENT_SECRET|ARM_ACCESS_KEY/);
    for (const job of ["plan", "deploy", "destroy"]) expect(jobs[job].permissions?.["id-token"]).toBe("write");
    expect(workflow.permissions).toEqual({});
    const logins = steps.filter((s) => s.uses?.startsWith("azure/login@"));
    expect(logins).toHaveLength(3);
    for (const login of logins)
      expect(Object.keys(login.with ?? {}).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
  });

  test("the databricks provider signs in through the Azure CLI, kept signed in while Terraform runs", () => {
    for (const name of ["deploy", "destroy"]) {
      expect(jobs[name].env?.DATABRICKS_AUTH_TYPE).toBe("azure-cli");
      for (const step of jobs[name].steps.filter((s) => /terraform (plan|apply)|npm run destroy/.test(s.run ?? ""))) {
        const run = step.run ?? "";
        const keeper = run.search(/scripts\/keep-azure-cli-signed-in\.js"? &\n\s*keeper=\$!/);
        expect([name, step.name, keeper >= 0]).toEqual([name, step.name, true]);
        expect(keeper).toBeLessThan(run.search(/terraform (plan|apply)|npm run destroy/));
        // Signed in afresh first: azure/login's ID token may be too old by the time Terraform starts.
        expect(run.search(/scripts\/keep-azure-cli-signed-in\.js"? --once\n/)).toBeGreaterThanOrEqual(0);
        expect(run.search(/scripts\/keep-azure-cli-signed-in\.js"? --once\n/)).toBeLessThan(keeper);
        expect(run).toMatch(/trap 'kill "\$keeper"' EXIT/);
      }
    }
  });

  test("keeps its state in the remote backend the settings describe, and is refused without it", () => {
    for (const name of ["LAB_STATE_STORAGE_ACCOUNT", "LAB_STATE_CONTAINER", "LAB_STATE_RESOURCE_GROUP"]) {
      expect(workflow.env[name]).toBe(`\${{ vars.${name} }}`);
    }
    // Repository variables nobody defined reach the job as empty strings, as GitHub Actions runs it.
    const env = Object.fromEntries(Object.keys(workflow.env).map((name) => [name, ""]));
    let error: unknown;
    try {
      loadSettings({ ...env, GITHUB_ACTIONS: "true", CI: "true" }, { cwd: tempDir("workflow-"), changesLab: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems.map((p) => p.setting)).toEqual(["LAB_STATE_STORAGE_ACCOUNT"]);
  });

  test("passes a setting on only when it is given: no default overrides lab.settings.json", () => {
    for (const [name, input] of Object.entries<{ default?: string }>(workflow.on.workflow_dispatch.inputs)) {
      expect([name, input.default ?? ""]).toEqual([name, ""]);
    }
    const settings = Object.entries<string>(workflow.env).filter(([name]) => name.startsWith("LAB_"));
    expect(settings.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "LAB_NAME",
        "LAB_LOCATION",
        "LAB_VARIANT",
        "LAB_STUDENTS_FILE",
        "LAB_CLASSROOM_COMPUTE",
        "LAB_REMOVE_STUDENTS",
      ]),
    );
    for (const [name, value] of settings) expect([name, value]).toEqual([name, expect.not.stringMatching(/'/)]);
  });

  test("one run at a time per lab for deploy and destroy, never cancelling a running apply", () => {
    const group = jobs.deploy.concurrency?.group;
    expect(group).toMatch(/^lab-\$\{\{ inputs\.lab_name \|\| vars\.LAB_NAME \|\| '[\w-]+' \}\}$/);
    expect(jobs.destroy.concurrency).toEqual({ group, "cancel-in-progress": false });
    expect(jobs.deploy.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(jobs.plan.concurrency?.group).toBe("lab-plan-${{ github.event.pull_request.number }}");
  });

  test("every job has a timeout; Terraform waits for a lock, and the apply stops on one interrupt before the job's limit", () => {
    for (const [name, job] of Object.entries(jobs))
      expect([name, job["timeout-minutes"]]).toEqual([name, expect.any(Number)]);
    const deploy = jobs.deploy.steps.map((s) => s.run ?? "").join("\n");
    const terraform = deploy.match(/terraform (init|plan|apply) .*/g) ?? [];
    expect(terraform).toHaveLength(3);
    for (const line of terraform) expect(line).toContain("-lock-timeout=10m");
    expect(jobs.destroy.env).toMatchObject({
      TF_CLI_ARGS_init: "-lock-timeout=10m",
      TF_CLI_ARGS_destroy: "-lock-timeout=10m",
    });
    const [, after, kill] = /timeout --signal=INT --kill-after=(\d+)m (\d+)m terraform apply/.exec(deploy)!.map(Number);
    expect(after + kill).toBeLessThan(jobs.deploy["timeout-minutes"]!);
  });

  test("a deploy runs the settings checks, the state guards and the plan review before it applies the reviewed plan", () => {
    const deploy = jobs.deploy;
    const order = [
      /^npm run preflight/,
      /npx cdktf synth/,
      /terraform plan .*-out=tfplan/,
      /npm run review-plan/,
      /terraform apply .* tfplan$/m,
    ];
    const at = order.map((pattern) => stepIndex(deploy, pattern));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(new Set(at).size).toBe(at.length);
    // No step runs after a failed one unless it says so: only the summary, the sheet and the upload.
    const always = deploy.steps.filter((s) => s.if?.includes("always()"));
    expect(always.map((s) => s.run)).toEqual([expect.stringMatching(/^scripts\/ci-summary\.sh /)]);
    expect(JSON.stringify(deploy)).not.toMatch(/auto-approve/);
  });

  test("the plan's summary is written even when the plan fails, and the deploy keeps its outputs", () => {
    for (const name of ["plan", "deploy"]) {
      const last = jobs[name].steps.at(-1)!;
      expect([name, last.if, last.run]).toEqual([
        name,
        "always()",
        expect.stringMatching(/^scripts\/ci-summary\.sh "/),
      ]);
    }
    const upload = jobs.deploy.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(
      String(upload?.with?.path)
        .trim()
        .split("\n")
        .map((p) => p.trim()),
    ).toEqual(["lab-outputs.json", "class-sheet.csv"]);
  });

  test("pull requests from forks and Dependabot skip the plan with a notice instead of failing to sign in", () => {
    expect(jobs.plan.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(jobs.plan.if).toContain("github.actor != 'dependabot[bot]'");
    expect(jobs.fork.if).toContain("github.event.pull_request.head.repo.full_name != github.repository");
    expect(jobs.fork.permissions).toBeUndefined();
    expect(jobs.fork.steps[0].run).toContain("::notice title=lab plan skipped::");
    expect(jobs.fork.steps[0].run).toContain("$GITHUB_STEP_SUMMARY");
  });

  test("every action is pinned by commit, with its version beside it, and Dependabot keeps them current", () => {
    const uses = TEXT.split("\n").filter((line) => /^\s*- uses: /.test(line));
    expect(uses.length).toBeGreaterThan(10);
    for (const line of uses) expect(line).toMatch(/- uses: [\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    const dependabot = parse(readFileSync(join(ROOT, ".github", "dependabot.yml"), "utf8"));
    expect(dependabot.updates).toEqual([
      expect.objectContaining({ "package-ecosystem": "github-actions", directory: "/" }),
    ]);
  });

  test("runs Node.js on the newest line the project is tested on", () => {
    const versions = steps
      .filter((s) => s.uses?.startsWith("actions/setup-node@"))
      .map((s) => Number(s.with?.["node-version"]));
    expect(versions).toHaveLength(4);
    expect(new Set(versions)).toEqual(new Set([Math.max(...NODE_LINES.map((line) => line.major))]));
  });

  test("deploys and destroys only when run by hand, and plans on pull requests", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "workflow_dispatch"]);
    expect(jobs.plan.if).toMatch(/^github\.event_name == 'pull_request' && /);
    expect(jobs.deploy.if).toBe("github.event_name == 'workflow_dispatch' && inputs.action == 'deploy'");
    expect(jobs.destroy.if).toBe("github.event_name == 'workflow_dispatch' && inputs.action == 'destroy'");
  });
});
