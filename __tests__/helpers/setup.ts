import { rmSync } from "node:fs";
import { setupJest } from "cdktf/lib/testing/adapters/jest";
import { TEMP_ROOT } from "./dbc";

setupJest();

afterAll(() => rmSync(TEMP_ROOT, { recursive: true, force: true }));
