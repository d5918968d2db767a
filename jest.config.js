/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc only strips types: fast. Type errors are caught by `npm run typecheck`, part of `npm test`.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Kept with the project, so the temp directory holds only what tests leave behind (CI checks it).
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
  setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup.ts"],
};
