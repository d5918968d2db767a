"use strict";
// The faults of npm run e2e: after each, the next apply converges, and what failed is named.
const { join } = require("node:path");
const { writeRoster } = require("../variants");
const { Failure } = require("./run");
const setup = require("./setup");

const STUDENTS = ["ada@example.org", "grace@example.org", "alan@example.org"];

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
    const statuses = await setup.labStatus(join(run.dir, "terraform.dp090-ddl.tfstate"), "dp090-ddl", run.emulator);
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

module.exports = { FAULTS };
