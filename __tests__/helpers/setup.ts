import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import { setupJest } from "cdktf/lib/testing/adapters/jest";
import { TEMP_ROOT } from "./dbc";

setupJest();

// cdktf's Testing helpers make a `cdktf.outdir.*` folder in the temp directory for every app and
// never remove it: they get this test file's folder instead, which is removed with it.
mkdirSync(TEMP_ROOT, { recursive: true });
const tmpdir = jest.spyOn(os, "tmpdir").mockReturnValue(TEMP_ROOT);

afterAll(() => {
  tmpdir.mockRestore();
  rmSync(TEMP_ROOT, { recursive: true, force: true });
});
