#!/usr/bin/env node
// npm run bench [-- --runs N] [-- --write]
//
// Times what users wait for: the app that every `cdktf synth/diff/deploy/destroy` runs, and
// `npm test`. The ways of running are interleaved (and the CPU and GPU variants alternated) so
// that a noisy neighbour hurts all of them alike. Wall time is measured here; peak memory (max RSS
// of the largest process in the tree) by GNU time. Prints the report (with --write, also into the
// committed BENCHMARKS.md) and exits 1 if a goal is missed. Not part of `npm test`: timings in
// tests are flaky on shared machines.
"use strict";
const { spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const { join } = require("node:path");
const { strToU8, zipSync } = require("fflate");

const root = join(__dirname, "..");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
// BENCHMARKS.md is the reviewed record: a run rewrites it only when asked to.
const WRITE = process.argv.includes("--write");
const TIME = "/usr/bin/time";

const GOALS = {
  appVsFloor: 1.5, // at most 1.5 x the compiled-JavaScript floor
  defaultVsApp: 4, // at least 4 x faster than ts-node
  appPeakMb: 150,
  testsSeconds: 20,
};

if (!existsSync(TIME)) {
  console.error(`bench needs GNU time at ${TIME} for peak memory: apt-get install time`);
  process.exit(2);
}

const work = mkdtempSync(join(os.tmpdir(), "dp090-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

// A cached archive behind an address that refuses connections: any network use would fail the run.
const notebook = { version: "NotebookV1", name: "bench", language: "python", commands: [] };
const dbc = Buffer.from(
  zipSync(
    { "06 - Distributed Deep Learning/bench.python": strToU8(JSON.stringify(notebook)) },
    { mtime: new Date("2021-06-01") },
  ),
);
const sum = createHash("sha256").update(dbc).digest("hex");
mkdirSync(join(work, "cache", "notebook-archives"), { recursive: true });
writeFileSync(join(work, "cache", "notebook-archives", `${sum}.dbc`), dbc);
const labEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  LAB_NOTEBOOK_URL: "http://127.0.0.1:9/lab.dbc",
  LAB_NOTEBOOK_SHA256: sum,
  LAB_CACHE_DIR: join(work, "cache"),
  CDKTF_OUTDIR: join(work, "cdktf.out"),
};

function measure(command, env) {
  const memFile = join(work, "mem.txt");
  const start = process.hrtime.bigint();
  const r = spawnSync(TIME, ["-f", "%M", "-o", memFile, "sh", "-c", command], { cwd: root, env, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    console.error(`'${command}' failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    process.exit(2);
  }
  const kb = Number(readFileSync(memFile, "utf8").trim().split("\n").pop());
  return { seconds, mb: kb / 1024 };
}

console.log("Compiling the floor with tsc ...");
const floorDir = join(root, ".build", "floor");
rmSync(floorDir, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", ".", "--noEmit", "false", "--outDir", floorDir],
  { cwd: root, encoding: "utf8" },
);
if (tsc.status !== 0) {
  console.error(tsc.stdout, tsc.stderr);
  process.exit(2);
}

const appCommand = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app;
const stamp = join(root, ".build", "main.inputs.json");
const methods = [
  { key: "app", label: `this project (\`${appCommand}\`), sources unchanged`, command: appCommand },
  {
    key: "appEdited",
    label: `this project, right after an edit (bundle rebuilt)`,
    command: appCommand,
    before: () => rmSync(stamp, { force: true }),
  },
  { key: "default", label: "template default (`npx ts-node main.ts`)", command: "npx ts-node main.ts" },
  {
    key: "floor",
    label: "floor: `node` on tsc-compiled JavaScript",
    command: `node ${join(".build", "floor", "main.js")}`,
  },
];

// A class: the app and the floor on rosters of 1, 20 and 40 students (synth grows with the class).
const CLASS_SIZES = [1, 20, 40];
for (const n of CLASS_SIZES) {
  const roster = join(work, `class-${n}.csv`);
  writeFileSync(roster, ["email", ...Array.from({ length: n }, (_, i) => `student${i + 1}@example.org`)].join("\n"));
  for (const base of [methods[0], methods[3]]) {
    methods.push({
      key: `${base.key}-${n}`,
      label: `${base.key === "app" ? "this project" : "floor"}, a class of ${n}`,
      command: base.command,
      env: { LAB_STUDENTS_FILE: roster },
    });
  }
}

// One untimed run each: npx resolution, the bundle and the OS file cache start warm for all alike.
for (const m of methods) measure(m.command, { ...labEnv, ...m.env, LAB_VARIANT: "cpu" });

const results = Object.fromEntries(methods.map((m) => [m.key, []]));
results.tests = [];
for (let i = 0; i < RUNS; i++) {
  const variant = i % 2 === 0 ? "cpu" : "gpu";
  const order = methods.map((_, k) => methods[(k + i) % methods.length]);
  for (const m of order) {
    m.before?.();
    results[m.key].push(measure(m.command, { ...labEnv, ...m.env, LAB_VARIANT: variant }));
  }
  process.stdout.write(`run ${i + 1}/${RUNS} (${variant}) app done; tests ... `);
  // Cold: a fresh jest cache each time; tsc keeps no incremental state.
  const cache = join(work, `jest-cache-${i}`);
  results.tests.push(measure(`npm test --silent -- --cacheDirectory ${cache}`, { ...process.env, CI: "true" }));
  console.log(`${results.tests[i].seconds.toFixed(1)} s`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (key) => {
  const wall = results[key].map((r) => r.seconds);
  const mem = results[key].map((r) => r.mb);
  return {
    wall: median(wall),
    min: Math.min(...wall),
    max: Math.max(...wall),
    mem: median(mem),
    memMax: Math.max(...mem),
  };
};
const s = Object.fromEntries(Object.keys(results).map((k) => [k, stat(k)]));

const rows = [
  ...methods.map((m) => [m.key, m.label]),
  ["tests", "`npm test` (TypeScript 7 type-check + jest, cold cache)"],
].map(([key, label]) => {
  const x = s[key];
  const size = /^(?:app|floor)-(\d+)$/.exec(key)?.[1];
  const floor = size ? s[`floor-${size}`] : s.floor;
  const vsFloor = key === "tests" ? "" : `${(x.wall / floor.wall).toFixed(2)} x`;
  const vsDefault = key === "tests" ? "" : `${(s.default.wall / x.wall).toFixed(1)} x`;
  return `| ${label} | ${x.wall.toFixed(2)} s | ${x.min.toFixed(2)} to ${x.max.toFixed(2)} s | ${x.mem.toFixed(0)} MB (max ${x.memMax.toFixed(0)}) | ${vsFloor} | ${vsDefault} |`;
});

const checks = [
  [
    `app median <= ${GOALS.appVsFloor} x floor`,
    s.app.wall / s.floor.wall <= GOALS.appVsFloor,
    `${(s.app.wall / s.floor.wall).toFixed(2)} x`,
  ],
  [
    `app >= ${GOALS.defaultVsApp} x faster than ts-node`,
    s.default.wall / s.app.wall >= GOALS.defaultVsApp,
    `${(s.default.wall / s.app.wall).toFixed(1)} x`,
  ],
  [`app peak memory <= ${GOALS.appPeakMb} MB`, s.app.memMax <= GOALS.appPeakMb, `${s.app.memMax.toFixed(0)} MB`],
  ...CLASS_SIZES.map((n) => [
    `a class of ${n}: app median <= ${GOALS.appVsFloor} x floor`,
    s[`app-${n}`].wall / s[`floor-${n}`].wall <= GOALS.appVsFloor,
    `${(s[`app-${n}`].wall / s[`floor-${n}`].wall).toFixed(2)} x (${s[`app-${n}`].wall.toFixed(2)} s)`,
  ]),
  [
    `npm test (cold) < ${GOALS.testsSeconds} s`,
    s.tests.max < GOALS.testsSeconds,
    `${s.tests.max.toFixed(1)} s (slowest run)`,
  ],
];

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const report = `# Benchmarks

Written by \`npm run bench\` (scripts/bench.js) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}.
${RUNS} runs of each, interleaved, alternating LAB_VARIANT=cpu and gpu; the archive is cached, so no run uses the network.
Wall time: median and range. Peak memory: median (and max) of the largest process's RSS.
The "after an edit" row is the first synth after changing a .ts file: esbuild rebuilds the bundle.
The class rows synthesize the lab with a roster (LAB_STUDENTS_FILE, personal compute); "vs floor" compares with the floor on the same roster.

| how the app or the tests run | wall (median) | spread | peak memory | vs floor | faster than ts-node |
|---|---|---|---|---|---|
${rows.join("\n")}

## Goals

| goal | measured | met |
|---|---|---|
${checks.map(([goal, ok, value]) => `| ${goal} | ${value} | ${ok ? "yes" : "**no**"} |`).join("\n")}
`;

// The deploy's critical path (`npm run e2e -- --bench --write`) is measured elsewhere: kept as it is.
const DEPLOY_SECTION = "\n## Deploy critical path";
const previous = existsSync(join(root, "BENCHMARKS.md")) ? readFileSync(join(root, "BENCHMARKS.md"), "utf8") : "";
const kept = previous.includes(DEPLOY_SECTION) ? previous.slice(previous.indexOf(DEPLOY_SECTION)) : "";
if (WRITE) require("write-file-atomic").sync(join(root, "BENCHMARKS.md"), report + kept);
console.log(`\n${report}`);
const missed = checks.filter(([, ok]) => !ok);
if (missed.length) {
  console.error(`Missed: ${missed.map(([goal]) => goal).join("; ")}`);
  process.exit(1);
}
