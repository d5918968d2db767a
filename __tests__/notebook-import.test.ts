import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DataDatabricksCurrentUser } from "@cdktf/provider-databricks/lib/data-databricks-current-user";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { NotebookImport } from "../constructs";
import { NotebookArchive, resolveNotebookArchive } from "../lab/archive/notebook-archive";
import { makeDbc, sha256, tempDir, writeTemp } from "./helpers/dbc";
import { only } from "./helpers/lab";

let archive: NotebookArchive;
beforeAll(async () => {
  const dir = tempDir("import-");
  archive = await resolveNotebookArchive(
    { kind: "file", file: writeTemp("lab.dbc", makeDbc(), dir) },
    { cacheDir: join(dir, "cache") },
  );
});

function build(app: App) {
  const stack = new TerraformStack(app, "lab");
  new DatabricksProvider(stack, "databricks", {});
  const owner = new DataDatabricksCurrentUser(stack, "me");
  const notebooks = new NotebookImport(stack, "notebooks", { archive, parentFolder: owner.home });
  return { stack, notebooks };
}

describe("NotebookImport", () => {
  test("imports into the owner's home, under the archive's own folder name", () => {
    const { stack } = build(Testing.app({ outdir: tempDir("app-") }));
    const notebook = only(JSON.parse(Testing.synth(stack)), "databricks_notebook");
    expect(notebook.path).toBe("${data.databricks_current_user.me.home}/06 - Distributed Deep Learning");
  });

  test("imports from a local .dbc source (the extension selects the DBC format), named by its sum", () => {
    const { stack } = build(Testing.app({ outdir: tempDir("app-") }));
    const notebook = only(JSON.parse(Testing.synth(stack)), "databricks_notebook");
    expect(notebook.source).toMatch(
      new RegExp(`^assets/notebooks_archive_[0-9A-F]+/${archive.sha256}/${archive.sha256}\\.dbc$`),
    );
    expect(notebook.content_base64).toBeUndefined();
    expect(notebook.format).toBeUndefined();
  });

  test("the archive reaches the stack's folder, where Terraform reads the source from", () => {
    const outdir = tempDir("app-");
    const app = Testing.app({ outdir });
    const { stack } = build(app);
    app.synth();
    const notebook = only(
      JSON.parse(readFileSync(join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")),
      "databricks_notebook",
    );
    const copied = join(outdir, "stacks", "lab", notebook.source);
    expect(existsSync(copied)).toBe(true);
    expect(sha256(readFileSync(copied))).toBe(archive.sha256);
  });

  test("exposes the folder path and the provider's link to it, spaces encoded (the one place that fixes the link)", () => {
    const { stack, notebooks } = build(Testing.app({ outdir: tempDir("app-") }));
    new TerraformOutput(stack, "path", { value: notebooks.folderPath });
    new TerraformOutput(stack, "url", { value: notebooks.folderUrl });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.path.value).toMatch(/^\$\{databricks_notebook\.notebooks_folder_[0-9A-F]+\.path\}$/);
    expect(json.output.url.value).toMatch(
      /^\$\{replace\(databricks_notebook\.notebooks_folder_[0-9A-F]+\.url, " ", "%20"\)\}$/,
    );
  });

  test("refuses what the import cannot take, all problems at once, naming its path", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new NotebookImport(scope, "notebooks", {
          archive: { file: "lab.zip", sha256: "ABC", folderName: "a/b" },
          parentFolder: "Shared",
        });
      }),
    ).toThrow(
      [
        "Invalid NotebookImport props at stack/notebooks:",
        '  - archive.file must end in .dbc (the extension selects the import format), got "lab.zip"',
        '  - archive.sha256 must be 64 lowercase hex digits, got "ABC"',
        '  - archive.folderName must be one folder name, got "a/b"',
        '  - parentFolder must be an absolute workspace path, got "Shared"',
      ].join("\n"),
    );
  });
});
