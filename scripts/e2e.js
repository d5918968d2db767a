#!/usr/bin/env node
// npm run e2e [-- --only <scenario,...>] [-- --keep] [-- --serial]
// npm run e2e -- --bench [--write]: apply and destroy wall time for the single learner and classes
//   of 1, 20 and 40 under the latency model (LATENCY_MODEL), one at a time; --write records them
//   in BENCHMARKS.md.
//
// The lab's whole life with real Terraform and the real providers (azurerm 4.55.0, databricks
// 1.99.0) against the emulator (__tests__/emulator): each scenario synthesizes the stack as
// `cdktf synth` does, then runs `terraform init/apply/plan/destroy` in the stack's folder, as
// `cdktf deploy` would, printing what Terraform printed. After every apply, `plan
// -detailed-exitcode` must find nothing to do; every destroy is the offline one `npm run destroy`
// synthesizes (no archive, no cache), after which the emulator must hold nothing.
//
// The stack is the one users deploy. Only a Terraform override file written next to it
// (`emulator_override.tf.json`) points the providers at the emulator: azurerm's `metadata_host`,
// test client credentials, no provider registrations; databricks' personal-token auth.
//
// Providers come from the Terraform registry, or from the provider mirror `npm run validate` uses
// (DP090_PROVIDER_MIRROR, else ~/.cache/dp090-lab/terraform-mirror).
// Exit codes: 0 every scenario passed, 1 one failed, 3 cannot run here (no Terraform, no providers).
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const { join } = require("node:path");
const { makeArchive, synth, writeRoster } = require("./variants");

const root = join(__dirname, "..");
const EXIT_SKIPPED = 3;
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined;
const keep = args.includes("--keep");
const bench = args.includes("--bench");
const serial = args.includes("--serial") || bench;
const writeBench = args.includes("--write");
/**
 * Scenarios at once: each is a Terraform process, two providers and an emulator; more than a few
 * on two cores starve the TLS handshakes (Go gives up after 10 s).
 */
const jobs = serial ? 1 : Number(args.includes("--jobs") ? args[args.indexOf("--jobs") + 1] : 4);
/** Extra emulator latency for every scenario (JSON of the emulator's `latency` option), e.g. to widen a race. */
const extraLatency = process.env.DP090_E2E_LATENCY ? JSON.parse(process.env.DP090_E2E_LATENCY) : {};

/**
 * Azure's and Databricks' times, divided by 10 where they are minutes, so a run takes minutes:
 * per call ~100 ms (a REST round trip to a region), a workspace's creation ~5 min (30 s here), a
 * cluster's start ~5 min (30 s here), a DBC import unpacked server-side ~1 s. Resource groups
 * keep the azurerm provider's own fixed sleeps (~20 s each way), which no server can shorten.
 */
const LATENCY_MODEL = {
  arm: 100,
  databricks: 100,
  workspaceCreate: 30_000,
  workspaceDelete: 10_000,
  clusterStart: 30_000,
  dbcImport: 1_000,
};
const terraform = process.env.TERRAFORM_BINARY_NAME || "terraform";
/** Longest any one Terraform command may take before it is interrupted (SIGINT, then SIGKILL). */
const COMMAND_TIMEOUT_MS = Number(process.env.DP090_E2E_TIMEOUT_MS || 300_000);

function skip(message) {
  console.log(`SKIPPED: ${message}`);
  process.exit(EXIT_SKIPPED);
}

const version = spawnSync(terraform, ["version", "-json"], { encoding: "utf8" });
if (version.error || version.status !== 0) {
  skip(`Terraform could not be run ("${terraform}"); install it or set TERRAFORM_BINARY_NAME.`);
}
const tfVersion = JSON.parse(version.stdout).terraform_version;

const work = mkdtempSync(join(os.tmpdir(), "dp090-e2e-"));
process.on("exit", () => (keep ? console.log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));

const mirror = process.env.DP090_PROVIDER_MIRROR || join(os.homedir(), ".cache", "dp090-lab", "terraform-mirror");
const PROVIDERS = ["registry.terraform.io/hashicorp/azurerm", "registry.terraform.io/databricks/databricks"];
// Only what Terraform needs: no Azure or Databricks login of the person running the tests leaks in.
const baseEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TMPDIR: os.tmpdir(),
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  // Every stack folder links the providers from one cache instead of copying ~280 MB each.
  TF_PLUGIN_CACHE_DIR: join(work, "plugin-cache"),
};
mkdirSync(baseEnv.TF_PLUGIN_CACHE_DIR);
let providerSource;
if (PROVIDERS.every((p) => existsSync(join(mirror, p)))) {
  const config = join(work, "providers.tfrc");
  writeFileSync(
    config,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ${JSON.stringify(PROVIDERS)}
  }
  direct {
    exclude = ${JSON.stringify(PROVIDERS)}
  }
}
`,
  );
  baseEnv.TF_CLI_CONFIG_FILE = config;
  providerSource = `the mirror ${mirror}`;
} else {
  providerSource = "the Terraform registry";
}

/** The emulator, bundled from its TypeScript sources (esbuild strips the types, as run-app.js does). */
/** With it, the project's own cluster status reading (`npm run status`), to check that a fault is reported. */
function loadEmulator() {
  const outdir = join(root, ".build", "e2e");
  require("esbuild").buildSync({
    absWorkingDir: root,
    entryPoints: ["__tests__/emulator/index.ts", "__tests__/emulator/lab-status.ts"],
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    outdir,
    logLevel: "error",
  });
  return { ...require(join(outdir, "index.js")), ...require(join(outdir, "lab-status.js")) };
}
const { startEmulator, labStatus, POLICY_FAMILIES } = loadEmulator();

const archive = makeArchive(work);
/** A second archive with other bytes: a new course release, imported again. */
function otherArchive() {
  const { strToU8, zipSync } = require("fflate");
  const notebook = { version: "NotebookV1", name: "validate", language: "python", commands: [{ command: "print(2)" }] };
  const dir = join(work, "release-2");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "06 - Distributed Deep Learning.dbc");
  writeFileSync(
    file,
    zipSync({
      "06 - Distributed Deep Learning/validate.python": strToU8(JSON.stringify(notebook)),
      "06 - Distributed Deep Learning/extra.python": strToU8(JSON.stringify({ ...notebook, name: "extra" })),
    }),
  );
  return file;
}

class Failure extends Error {}

/** One scenario's stack folder, its emulator, and Terraform run in it. */
class Run {
  constructor(name, emulator) {
    this.name = name;
    this.emulator = emulator;
    this.dir = join(work, name);
    this.steps = [];
  }

  log(line) {
    for (const l of String(line).split("\n")) console.log(`[${this.name}] ${l}`);
  }

  /** Synthesizes the lab with `settings` (in the same folder every time: the state guard reads the state there). */
  synth(settings, label) {
    const started = Date.now();
    try {
      this.stack = synth(this.dir, settings, { archive, env: process.env });
    } catch (error) {
      throw new Failure(`synth ${label}: ${error.message}`);
    }
    writeFileSync(join(this.stack, "emulator_override.tf.json"), JSON.stringify(this.override(), null, 2));
    this.steps.push({ step: `synth ${label}`, ms: Date.now() - started });
  }

  override() {
    const e = this.emulator;
    return {
      provider: {
        azurerm: [
          {
            metadata_host: e.metadataHost,
            subscription_id: e.subscriptionId,
            tenant_id: e.tenantId,
            client_id: "00000000-0000-4000-8000-00000000c11e",
            client_secret: "emulator-test-secret",
            use_cli: false,
            use_msi: false,
            use_oidc: false,
            resource_provider_registrations: "none",
          },
        ],
        databricks: [{ host: e.url, token: e.token, auth_type: "pat", retry_timeout_seconds: 60 }],
      },
    };
  }

  /**
   * Runs Terraform in the stack folder; resolves with its exit code and output. A run whose
   * provider could not even finish a TLS handshake with the emulator (the machine overloaded:
   * Go gives up after 10 s) is run once more, and says so.
   */
  async terraform(argv, options = {}) {
    try {
      return await this.terraformOnce(argv, options);
    } catch (error) {
      if (!(error instanceof Failure) || !/TLS handshake timeout/.test(this.lastOutput) || options.interruptWhen)
        throw error;
      this.log(
        `  (${options.label ?? argv[0]}: a TLS handshake with the emulator timed out under load; running it again)`,
      );
      return this.terraformOnce(argv, options);
    }
  }

  terraformOnce(argv, { label = argv[0], expect = [0], interruptWhen } = {}) {
    const started = Date.now();
    const env = { ...baseEnv, SSL_CERT_FILE: this.caBundle };
    return new Promise((resolve, reject) => {
      const child = spawn(terraform, [...argv, "-no-color"], { cwd: this.stack, env });
      let output = "";
      const collect = (chunk) => {
        output += chunk;
        const lines = output.split("\n");
        output = lines.pop();
        for (const l of lines) this.log(`  ${l}`);
        this.lastOutput = `${this.lastOutput ?? ""}${lines.join("\n")}\n`;
      };
      this.lastOutput = "";
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      /** SIGINT, as Ctrl-C does; SIGKILL if Terraform has not stopped 15 s later. */
      const interrupt = (why) => {
        this.log(`  (${why}: SIGINT)`);
        child.kill("SIGINT");
        setTimeout(() => {
          if (child.exitCode === null) {
            this.log("  (still running 15 s after SIGINT: SIGKILL)");
            this.killed = true;
            child.kill("SIGKILL");
          }
        }, 15_000).unref();
      };
      const timer = setTimeout(
        () => interrupt(`${label} took longer than ${COMMAND_TIMEOUT_MS / 1000} s`),
        COMMAND_TIMEOUT_MS,
      );
      const watch =
        interruptWhen &&
        setInterval(() => {
          if (interruptWhen()) {
            clearInterval(watch);
            interrupt("interrupted mid-apply");
          }
        }, 100);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        if (watch) clearInterval(watch);
        if (output) this.log(`  ${output}`);
        const ms = Date.now() - started;
        this.steps.push({ step: label, ms });
        if (code !== 0 && /TLS handshake timeout/.test(this.lastOutput) && !interruptWhen && !this.retrying) {
          this.retrying = true;
          reject(new Failure(`terraform ${label} exited ${code} (TLS handshake timeout)`));
          return;
        }
        this.retrying = false;
        if (!expect.includes(code)) {
          reject(
            new Failure(
              `terraform ${label} exited ${code}${this.emulator.unknownCalls.length ? `; calls the emulator does not know: ${[...new Set(this.emulator.unknownCalls)].join(", ")}` : ""}`,
            ),
          );
        } else resolve({ code, output: this.lastOutput });
      });
    });
  }

  async init() {
    await this.terraform(["init", "-input=false"], { label: "init" });
  }

  async apply(label = "apply", options = {}) {
    return this.terraform(["apply", "-auto-approve", "-input=false"], { label, ...options });
  }

  /** An apply expected to fail: its output must name what failed (each pattern). */
  async failingApply(label, patterns, options = {}) {
    const { code, output } = await this.apply(label, { expect: [0, 1], ...options });
    if (code === 0) throw new Failure(`${label}: the apply succeeded although the fault fired`);
    for (const p of patterns) {
      if (!p.test(output)) throw new Failure(`${label}: Terraform's output does not name what failed (${p})`);
    }
  }

  /** `plan -detailed-exitcode`: 0 no changes, 2 changes; returns the changes by address. */
  async plan(label = "plan") {
    const { code } = await this.terraform(["plan", "-detailed-exitcode", "-input=false", "-out=e2e.tfplan"], {
      label,
      expect: [0, 2],
    });
    const shown = spawnSync(terraform, ["show", "-json", "e2e.tfplan"], {
      cwd: this.stack,
      env: baseEnv,
      encoding: "utf8",
    });
    const plan = JSON.parse(shown.stdout);
    const changes = (plan.resource_changes ?? [])
      .filter((c) => !c.change.actions.every((a) => a === "no-op" || a === "read"))
      .map((c) => ({ address: c.address, actions: c.change.actions }));
    return { code, changes };
  }

  async expectNoChanges(label) {
    const { code, changes } = await this.plan(label);
    if (code !== 0) {
      throw new Failure(
        `${label}: the plan after the apply is not empty: ${changes.map((c) => `${c.address} (${c.actions.join("+")})`).join(", ")}`,
      );
    }
  }

  /** The offline destroy (no archive, no cache), as `npm run destroy` synthesizes it; then nothing may be left. */
  async destroy(settings) {
    this.synth(
      {
        ...settings,
        LAB_NOTEBOOK_FILE: "",
        LAB_STUDENTS_FILE: "",
        LAB_NOTEBOOK_URL: "http://127.0.0.1:9/unreachable.dbc",
        LAB_NOTEBOOK_SHA256: "0".repeat(64),
        LAB_CACHE_DIR: join(this.dir, "no-cache"),
        DP090_DESTROY: "1",
      },
      "(offline destroy)",
    );
    await this.terraform(["destroy", "-auto-approve", "-input=false"], { label: "destroy" });
    const left = this.emulator.leftovers();
    if (left.length) throw new Failure(`after the destroy the emulator still holds: ${left.join(", ")}`);
  }
}

function expectOnly(label, changes, allowed) {
  const stray = changes.filter((c) => !allowed(c));
  if (stray.length) {
    throw new Failure(
      `${label}: the plan touches more than it should: ${stray.map((c) => `${c.address} (${c.actions.join("+")})`).join(", ")}`,
    );
  }
  if (!changes.length) throw new Failure(`${label}: the plan changes nothing`);
}

const STUDENTS = ["ada@example.org", "grace@example.org", "alan@example.org"];

const SCENARIOS = {
  /** 1. The single learner on CPU. */
  async cpu(run) {
    const settings = {};
    run.synth(settings, "cpu");
    await run.init();
    await run.apply();
    await run.expectNoChanges("plan after apply");
    await run.destroy(settings);
  },

  /** 2. GPU, Japanese notebooks, trial tier, an IP allow-list (Terraform calls from inside it) and a token cap. */
  async "gpu-ja-trial-allow-list"(run) {
    const settings = {
      LAB_VARIANT: "gpu",
      LAB_NOTEBOOK_LANGUAGE: "ja",
      LAB_SKU: "trial",
      LAB_LOCATION: "japaneast",
      LAB_ALLOWED_IP_RANGES: `131.107.0.0/16,${run.emulator.callerAddress}`,
      LAB_MAX_TOKEN_LIFETIME_DAYS: "3",
    };
    run.synth(settings, "gpu, ja, trial, allow-list");
    await run.init();
    await run.apply();
    await run.expectNoChanges("plan after apply");
    const conf = run.emulator.databricks().conf;
    if (conf.enableIpAccessLists !== "true" || conf.maxTokenLifetimeDays !== "3") {
      throw new Failure(`workspace settings after the apply: ${JSON.stringify(conf)}`);
    }
    await run.destroy(settings);
  },

  /** 3. A class of 3 (personal, then policy compute): add a student, remove one; only theirs changes. */
  async "class-personal"(run) {
    await classScenario(run, "personal");
  },
  async "class-policy"(run) {
    await classScenario(run, "policy");
  },

  /** 4. Azure adds a tag to the workspace; a new archive is imported: in place, nothing else touched. */
  async "tags-and-reimport"(run) {
    const settings = {};
    run.synth(settings, "cpu");
    await run.init();
    await run.apply();
    await run.expectNoChanges("plan after apply");

    const workspace = [...run.emulator.state.workspaces.values()][0];
    workspace.tags = { ...workspace.tags, "added-by": "azure-policy" };
    const drift = await run.plan("plan after a tag drift");
    expectOnly(
      "tag drift",
      drift.changes,
      (c) => c.address.startsWith("azurerm_databricks_workspace.") && c.actions.join() === "update",
    );
    await run.apply("apply (tags back)");
    await run.expectNoChanges("plan after the tag apply");

    const release = otherArchive();
    const reimport = { LAB_NOTEBOOK_FILE: release };
    run.synth(reimport, "new archive");
    const changed = await run.plan("plan after a new archive");
    expectOnly("re-import", changed.changes, (c) => c.address.startsWith("databricks_notebook."));
    await run.apply("apply (re-import)");
    const folder = [...run.emulator.databricks().objects.values()].find((o) =>
      o.path.endsWith("/06 - Distributed Deep Learning/extra"),
    );
    if (!folder) throw new Failure("the new archive's notebook `extra` is not in the workspace after the re-import");
    await run.expectNoChanges("plan after the re-import");
    await run.destroy(reimport);
  },
};

/** Faults: after each, the next apply converges, and what failed is reported by name. */
const FAULTS = {
  /** 429 and 503 bursts from Resource Manager and Databricks: the providers retry them. */
  async "fault-throttling"(run) {
    const bursts = [
      { match: /^PUT .*\/resourcegroups\/[^/]+$/i, status: 429, count: 2 },
      { match: /^GET .*\/Microsoft\.Databricks\/workspaces\/[^/]+$/i, status: 503, count: 2 },
      { match: /^POST \/api\/2\.1\/clusters\/create$/, status: 429, count: 3 },
      { match: /^POST \/api\/2\.0\/workspace\/import$/, status: 503, count: 2 },
      { match: /^GET \/api\/2\.0\/preview\/scim\/v2\/Me$/, status: 429, count: 2 },
    ];
    run.emulator.faults.bursts.push(...bursts);
    run.synth({}, "cpu");
    await run.init();
    await run.apply();
    const unfired = bursts.filter((b) => b.count > 0);
    if (unfired.length) throw new Failure(`bursts that never fired: ${unfired.map((b) => b.match).join(", ")}`);
    run.log(
      `  ${run.emulator.notes.filter((n) => n.startsWith("fault:")).length} throttled or unavailable answers, all retried`,
    );
    await run.expectNoChanges("plan after apply");
    await run.destroy({});
  },

  /** The workspace's creation fails at Azure: the apply names it; the next apply creates it. */
  async "fault-workspace"(run) {
    run.emulator.faults.workspaceFailures.push({
      match: /^dbw-/,
      code: "InternalServerError",
      message: "Provisioning of the workspace failed (injected by the emulator).",
    });
    run.synth({}, "cpu");
    await run.init();
    await run.failingApply("apply (workspace fails)", [
      /azurerm_databricks_workspace/,
      /dbw-dp090-ddl/,
      /InternalServerError/,
    ]);
    await run.apply("apply again");
    await run.expectNoChanges("plan after the second apply");
    await run.destroy({});
  },

  /** A student's cluster terminates at start for lack of quota: npm run status names it and why. */
  async "fault-quota"(run) {
    run.emulator.faults.clusterQuota.push({ match: /^grace@/, count: 1 });
    const settings = {
      LAB_CLASSROOM_COMPUTE: "personal",
      LAB_STUDENTS_FILE: writeRoster(join(run.dir, "roster"), STUDENTS),
    };
    run.synth(settings, "class of 3 (personal)");
    await run.init();
    await run.apply();
    const statuses = await labStatus(join(run.dir, "terraform.dp090-ddl.tfstate"), "dp090-ddl", run.emulator);
    for (const c of statuses)
      run.log(
        `  status: ${c.failed ? "FAILED " : ""}${c.state} ${c.owner} (${c.role}) ${c.reason ? c.reason.code : ""}`,
      );
    const grace = statuses.find((c) => c.owner === "grace@example.org");
    if (!grace?.failed || grace.reason?.code !== "AZURE_QUOTA_EXCEEDED_EXCEPTION") {
      throw new Failure(`npm run status does not report grace's cluster as failed for quota: ${JSON.stringify(grace)}`);
    }
    const others = statuses.filter((c) => c !== grace && c.failed);
    if (others.length) throw new Failure(`other clusters reported failed: ${others.map((c) => c.owner).join(", ")}`);
    await run.apply("apply again");
    await run.expectNoChanges("plan after the second apply");
    await run.destroy({ LAB_CLASSROOM_COMPUTE: "personal" });
  },

  /** Ctrl-C in the middle of a class's apply (SIGINT, SIGKILL if Terraform lingers): the next apply converges. */
  async "fault-interrupt"(run) {
    const settings = {
      LAB_CLASSROOM_COMPUTE: "personal",
      LAB_STUDENTS_FILE: writeRoster(join(run.dir, "roster"), STUDENTS),
    };
    run.synth(settings, "class of 3 (personal)");
    await run.init();
    const created = () =>
      run.emulator.requests.filter((r) => r.route === "scim user create" && r.status === 201).length;
    const { code } = await run.apply("apply (interrupted)", { expect: [0, 1], interruptWhen: () => created() >= 1 });
    run.log(
      `  interrupted apply exited ${code}${run.killed ? " (after SIGKILL)" : ""}; ${created()} of ${STUDENTS.length} students created`,
    );
    // SIGINT cancels the providers' requests in flight: a user Databricks created whose answer
    // Terraform never read is in the workspace but not in the state, and (users are never taken
    // over, no `force`) the next apply stops on it, naming it. The way out is to import it.
    const again = await run.apply("apply again", { expect: [0, 1] });
    if (again.code !== 0) {
      const orphans = [
        ...again.output.matchAll(/User with username (\S+) already exists\.[\s\S]*?with (databricks_user\.\S+),/g),
      ];
      if (!orphans.length)
        throw new Failure("apply again: it failed, and not on a user created by the interrupted apply");
      for (const [, userName, address] of orphans) {
        const user = [...run.emulator.databricks().users.values()].find((u) => u.userName === userName);
        run.log(
          `  finding: the interrupted apply created ${userName} without recording it; the next apply named it; importing it as ${address}`,
        );
        await run.terraform(["import", "-input=false", address, user.id], { label: `import ${userName}` });
      }
      await run.apply("apply after the import");
    }
    const db = run.emulator.databricks();
    for (const s of STUDENTS) {
      const users = [...db.users.values()].filter((u) => u.userName === s).length;
      const clusters = [...db.clusters.values()].filter((c) => c.spec.single_user_name === s).length;
      const notebooks = [...db.objects.keys()].filter((p) => p.startsWith(`/Classroom/DP-090/${s}/`)).length;
      if (users !== 1 || clusters !== 1 || notebooks === 0) {
        throw new Failure(
          `${s} after the interrupted apply and the next: ${users} users, ${clusters} clusters, ${notebooks} notebook objects`,
        );
      }
    }
    await run.expectNoChanges("plan after the second apply");
    await run.destroy({ LAB_CLASSROOM_COMPUTE: "personal" });
  },
};
Object.assign(SCENARIOS, FAULTS);
/** Longest first (the class scenarios take three applies). */
const ORDER = [
  "class-personal",
  "class-policy",
  "tags-and-reimport",
  "fault-interrupt",
  "fault-quota",
  "fault-throttling",
  "fault-workspace",
  "gpu-ja-trial-allow-list",
  "cpu",
];

async function classScenario(run, compute) {
  const dir = run.dir;
  const roster = (students) => writeRoster(join(dir, `roster-${students.length}`), students);
  const settings = { LAB_CLASSROOM_COMPUTE: compute };
  run.synth({ ...settings, LAB_STUDENTS_FILE: roster(STUDENTS) }, `class of 3 (${compute})`);
  await run.init();
  await run.apply();
  await run.expectNoChanges("plan after apply");
  const users = () => [...run.emulator.databricks().users.values()].map((u) => u.userName).sort();
  for (const s of STUDENTS) if (!users().includes(s)) throw new Failure(`${s} is not a workspace user after the apply`);
  // The class closes the built-in Personal Compute policy by editing it, which replaces every field:
  // its own description must be written back, or it is lost.
  const family = POLICY_FAMILIES.find((f) => f.policy_family_id === "personal-vm");
  const builtin = [...run.emulator.databricks().policies.values()].find(
    (p) => p.policy_family_id === "personal-vm" && p.is_default,
  );
  if (builtin.description !== family.description) {
    throw new Failure(
      `the built-in Personal Compute policy lost its description (now ${JSON.stringify(builtin.description ?? null)})`,
    );
  }

  const added = "katherine@example.org";
  run.synth({ ...settings, LAB_STUDENTS_FILE: roster([...STUDENTS, added]) }, "a student added");
  const adding = await run.plan("plan with a student added");
  expectOnly(
    "adding a student",
    adding.changes,
    (c) => c.address.includes("katherine") && c.actions.join() === "create",
  );
  await run.apply("apply (student added)");
  await run.expectNoChanges("plan after adding");

  const leaving = "grace@example.org";
  const remaining = [...STUDENTS, added].filter((s) => s !== leaving);
  run.synth({ ...settings, LAB_STUDENTS_FILE: roster(remaining), LAB_REMOVE_STUDENTS: leaving }, "a student removed");
  const removing = await run.plan("plan with a student removed");
  expectOnly(
    "removing a student",
    removing.changes,
    (c) => c.address.includes("grace") && c.actions.join() === "delete",
  );
  await run.apply("apply (student removed)");
  if (users().includes(leaving)) throw new Failure(`${leaving} is still a workspace user after the removal`);
  const objects = [...run.emulator.databricks().objects.keys()];
  for (const s of remaining) {
    if (!objects.some((p) => p.startsWith(`/Classroom/DP-090/${s}/`)))
      throw new Failure(`${s}'s notebooks are gone after the removal`);
  }
  await run.expectNoChanges("plan after removing");
  await run.destroy(settings);
}

/** Apply and destroy of the single learner and of classes, timed under the latency model. */
const BENCH = Object.fromEntries(
  [0, 1, 20, 40].map((n) => [
    n ? `bench-class-${n}` : "bench-single",
    async (run) => {
      const students = Array.from({ length: n }, (_, i) => `student${i + 1}@example.org`);
      const settings = n
        ? { LAB_CLASSROOM_COMPUTE: "personal", LAB_STUDENTS_FILE: writeRoster(join(run.dir, "roster"), students) }
        : {};
      run.synth(settings, n ? `class of ${n}` : "single learner");
      await run.init();
      await run.apply();
      await run.destroy(n ? { LAB_CLASSROOM_COMPUTE: "personal" } : {});
      run.timing = {
        students: n,
        ...Object.fromEntries(
          run.steps.filter((s) => s.step === "apply" || s.step === "destroy").map((s) => [s.step, s.ms]),
        ),
      };
    },
  ]),
);

async function runScenario(name) {
  // The stack accepts public addresses only: these stand for the classroom and the deploying machine.
  const latency = { ...(bench ? LATENCY_MODEL : {}), ...extraLatency };
  const emulator = await startEmulator({ callerAddress: "52.160.10.7", latency });
  const run = new Run(name, emulator);
  mkdirSync(run.dir, { recursive: true });
  run.caBundle = emulator.writeCaBundle(run.dir);
  const started = Date.now();
  try {
    await (bench ? BENCH : SCENARIOS)[name](run);
    // A call the emulator does not know fails the scenario even when Terraform shrugged it off.
    if (emulator.unknownCalls.length) {
      throw new Failure(`calls the emulator does not know: ${[...new Set(emulator.unknownCalls)].join(", ")}`);
    }
    return {
      name,
      ok: true,
      ms: Date.now() - started,
      steps: run.steps,
      timing: run.timing,
      calls: emulator.requests.length,
    };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    run.log(`FAILED: ${error.message}`);
    for (const note of emulator.notes) run.log(`  emulator: ${note}`);
    return { name, ok: false, ms: Date.now() - started, steps: run.steps, message: error.message };
  } finally {
    await emulator.close();
  }
}

async function main() {
  console.log(`Terraform ${tfVersion}; providers from ${providerSource}`);
  const names = (bench ? Object.keys(BENCH) : ORDER).filter((n) => !only || only.includes(n));
  // Providers from the registry: find out once, before the scenarios, whether it can be reached.
  if (!baseEnv.TF_CLI_CONFIG_FILE) {
    const probe = new Run("registry-probe", {
      unknownCalls: [],
      metadataHost: "",
      url: "",
      token: "",
      subscriptionId: "",
      tenantId: "",
    });
    mkdirSync(probe.dir, { recursive: true });
    probe.stack = synth(probe.dir, {}, { archive, env: process.env });
    const init = spawnSync(terraform, ["init", "-backend=false", "-input=false", "-no-color"], {
      cwd: probe.stack,
      env: baseEnv,
      encoding: "utf8",
    });
    if (init.status !== 0) {
      skip(
        `the providers could not be installed: no access to the Terraform registry, and no provider mirror at ${mirror}.\n${init.stderr.trim()}`,
      );
    }
  }
  const started = Date.now();
  // The longest first, so that the short ones fill in behind them.
  const results = [];
  const queue = [...names];
  await Promise.all(
    Array.from({ length: Math.min(jobs, names.length) }, async () => {
      while (queue.length) {
        const name = queue.shift();
        results.push(await runScenario(name));
      }
    }),
  );
  results.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));

  console.log("\nscenario                    result   wall time   slowest steps");
  for (const r of results) {
    const slow = [...r.steps]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((s) => `${s.step} ${(s.ms / 1000).toFixed(0)} s`);
    console.log(
      `${r.name.padEnd(28)}${(r.ok ? "passed" : "FAILED").padEnd(9)}${`${(r.ms / 1000).toFixed(0)} s`.padEnd(12)}${slow.join(", ")}`,
    );
  }
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.log(`\n${r.name}: ${r.message}`);
  console.log(
    `\n${failed.length ? `${failed.length} scenario(s) failed` : "Every scenario passed"} in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  process.exitCode = failed.length ? 1 : 0;
  if (bench && !failed.length) benchReport(results);
}

function benchReport(results) {
  const base = results.find((r) => r.timing.students === 0)?.timing;
  const s = (ms) => `${(ms / 1000).toFixed(0)} s`;
  const rows = results.map((r) => {
    const t = r.timing;
    const who = t.students ? `a class of ${t.students} (personal compute)` : "the single learner";
    return `| ${who} | ${s(t.apply)} | ${base ? `${(t.apply / base.apply).toFixed(2)} x` : ""} | ${s(t.destroy)} | ${base ? `${(t.destroy / base.destroy).toFixed(2)} x` : ""} | ${r.calls} |`;
  });
  const section = `
## Deploy critical path

Written by \`npm run e2e -- --bench --write\` on ${new Date().toISOString().slice(0, 10)}: real Terraform ${tfVersion}, azurerm 4.55.0 and
databricks 1.99.0 against the emulator at Terraform's default parallelism (10), one run at a time.
Latency model (the emulator's, scaled down and stated): ${LATENCY_MODEL.arm} ms per Resource Manager call and ${LATENCY_MODEL.databricks} ms per
Databricks call; a workspace's creation ${LATENCY_MODEL.workspaceCreate / 1000} s (Azure: about 5 min) and deletion ${LATENCY_MODEL.workspaceDelete / 1000} s; a cluster's start
${LATENCY_MODEL.clusterStart / 1000} s (Azure: about 5 min); a DBC import ${LATENCY_MODEL.dbcImport / 1000} s. Resource groups take the azurerm provider's own fixed sleeps
(about 20 s each way). Students' clusters do not wait to run; the instructor's does.

| deploy | apply | vs single learner | destroy | vs single learner | API calls |
|---|---|---|---|---|---|
${rows.join("\n")}
`;
  console.log(section);
  if (writeBench) {
    const file = join(root, "BENCHMARKS.md");
    const text = require("node:fs").readFileSync(file, "utf8");
    const at = text.indexOf("\n## Deploy critical path");
    require("write-file-atomic").sync(file, `${at < 0 ? text : text.slice(0, at)}${section}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
