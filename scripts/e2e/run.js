"use strict";
// One scenario's run of npm run e2e: its stack folder, its emulator, Terraform in that folder.
const { spawn, spawnSync } = require("node:child_process");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { synth } = require("../variants");
const setup = require("./setup");

class Failure extends Error {}

/** One scenario's stack folder, its emulator, and Terraform run in it. */
class Run {
  constructor(name, emulator) {
    this.name = name;
    this.emulator = emulator;
    this.dir = join(setup.work, name);
    this.steps = [];
  }

  log(line) {
    for (const l of String(line).split("\n")) console.log(`[${this.name}] ${l}`);
  }

  /** Synthesizes the lab with `settings` (in the same folder every time: the state guard reads the state there). */
  synth(settings, label) {
    const started = Date.now();
    try {
      this.stack = synth(this.dir, settings, { archive: setup.archive, env: process.env });
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
    const env = { ...setup.baseEnv, SSL_CERT_FILE: this.caBundle };
    return new Promise((resolve, reject) => {
      const child = spawn(setup.terraform, [...argv, "-no-color"], { cwd: this.stack, env });
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
        () => interrupt(`${label} took longer than ${setup.COMMAND_TIMEOUT_MS / 1000} s`),
        setup.COMMAND_TIMEOUT_MS,
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
    const shown = spawnSync(setup.terraform, ["show", "-json", "e2e.tfplan"], {
      cwd: this.stack,
      env: setup.baseEnv,
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
        // As `npm run destroy -- --discard-work`: the test's class has no work to keep.
        DP090_CLASS_WORK: "discard",
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

module.exports = { Failure, Run, expectOnly };
