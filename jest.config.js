/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc only strips types: fast. Type errors are caught by `npm run typecheck`, part of `npm test`.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Kept with the project, so the temp directory holds only what tests leave behind (CI checks it).
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
  // Jest's default is one worker fewer than the cores: a single worker on the project's 2-core
  // machines, where most of the suite's time is spent waiting on the processes and local servers
  // the tests start. Two workers keep a cold `npm test` under its 20 s budget there.
  maxWorkers: 2,
  setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup.ts"],
};
