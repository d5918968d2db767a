"use strict";
// npm run e2e -- --bench: the deploy's critical path under a stated latency model.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { writeRoster } = require("../variants");
const setup = require("./setup");

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

Written by \`npm run e2e -- --bench --write\` on ${new Date().toISOString().slice(0, 10)}: real ${setup.tool} ${setup.tfVersion}, azurerm 4.55.0 and
databricks 1.99.0 against the emulator at Terraform's default parallelism (10), one run at a time.
Latency model (the emulator's, scaled down and stated): ${LATENCY_MODEL.arm} ms per Resource Manager call and ${LATENCY_MODEL.databricks} ms per
Databricks call; a workspace's creation ${LATENCY_MODEL.workspaceCreate / 1000} s (Azure: about 5 min) and deletion ${LATENCY_MODEL.workspaceDelete / 1000} s; a cluster's start
${LATENCY_MODEL.clusterStart / 1000} s (Azure: about 5 min); a DBC import ${LATENCY_MODEL.dbcImport / 1000} s. Resource groups take the azurerm provider's own fixed sleeps
(about 20 s each way). Students' clusters do not wait to run; the instructor's does.

Where the time goes: the single learner's apply is the resource group (about 20 s of the provider's
sleeps), the workspace (30 s) and the instructor's cluster start (30 s), one after the other; a class
adds its students beside the cluster start, except the DBC imports and recursive folder deletes, which
the databricks provider serialises with one lock (workspace/resource_notebook.go, NotebooksAPI.Create
and Delete). For the class of 40, 41 imports of 1 s one at a time outlast the 30 s cluster start, and
its ~1,400 other calls of 100 ms at a parallelism of 10 add ~15 s: the extra 30 s. On destroy, the
serialised folder deletes and the per-student calls grow with the class. The stack cannot lift the
provider's lock; a smaller archive shortens each import.

| deploy | apply | vs single learner | destroy | vs single learner | API calls |
|---|---|---|---|---|---|
${rows.join("\n")}
`;
  console.log(section);
  if (setup.writeBench) {
    const file = join(__dirname, "..", "..", "BENCHMARKS.md");
    const text = readFileSync(file, "utf8");
    const at = text.indexOf("\n## Deploy critical path");
    require("write-file-atomic").sync(file, `${at < 0 ? text : text.slice(0, at)}${section}`);
  }
}

module.exports = { LATENCY_MODEL, BENCH, benchReport };
