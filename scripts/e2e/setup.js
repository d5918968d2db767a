"use strict";
// What scripts/e2e.js sets up once for every scenario (the work folder, the archive, Terraform
// and its environment, the bundled emulator): filled in by scripts/e2e.js before any scenario runs.
module.exports = {};
