import { Notebook } from "@cdktf/provider-databricks/lib/notebook";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { Rule, validateAllProps } from "./validate-props";

/** A verified `.dbc` archive on local disk (what lab/archive resolves). */
export interface DbcArchive {
  /** Path of the file; its name must end in `.dbc` (the extension selects the DBC import format). */
  readonly file: string;
  /** sha256 of the file: names the copy in the stack's folder, so the path changes only with the bytes. */
  readonly sha256: string;
  /** The archive's top-level folder: the folder a person importing it by hand would get. */
  readonly folderName: string;
}

export interface NotebookImportProps {
  /** The archive to import. */
  readonly archive: DbcArchive;
  /**
   * Workspace folder the archive's folder is created in, such as a user's home
   * (`databricks_current_user`'s `home`) or `/Shared`; created when missing.
   */
  readonly parentFolder: string;
}

const NOTEBOOK_IMPORT_RULES: readonly Rule<NotebookImportProps>[] = [
  {
    prop: "archive",
    condition: ({ archive }) => !archive.file.endsWith(".dbc"),
    message: ({ archive }) =>
      `archive.file must end in .dbc (the extension selects the import format), got "${archive.file}"`,
  },
  {
    prop: "archive",
    condition: ({ archive }) => !/^[0-9a-f]{64}$/.test(archive.sha256),
    message: ({ archive }) => `archive.sha256 must be 64 lowercase hex digits, got "${archive.sha256}"`,
  },
  {
    prop: "archive",
    condition: ({ archive }) => archive.folderName === "" || archive.folderName.includes("/"),
    message: ({ archive }) => `archive.folderName must be one folder name, got "${archive.folderName}"`,
  },
  {
    prop: "parentFolder",
    condition: ({ parentFolder }) => !parentFolder.startsWith("/"),
    message: ({ parentFolder }) => `parentFolder must be an absolute workspace path, got "${parentFolder}"`,
  },
];

/**
 * Imports a `.dbc` archive as a folder under `parentFolder`, named like the archive's own
 * top-level folder, as a person importing it by hand would see it.
 */
export class NotebookImport extends Construct {
  /** Workspace path of the imported folder. */
  public readonly folderPath: string;
  /** Link to the folder in the workspace UI, spaces encoded (the archive's folder names have them). */
  public readonly folderUrl: string;
  /** Escape hatch: the underlying databricks resource. */
  public readonly resource: Notebook;

  constructor(scope: Construct, id: string, props: NotebookImportProps) {
    super(scope, id);
    validateAllProps(this, "NotebookImport", props, NOTEBOOK_IMPORT_RULES);
    // The provider imports a DBC only from a local file, stat-ed from the stack's output folder:
    // the asset copies the archive there. Its hash is the archive's sum, so the path is stable.
    const asset = new TerraformAsset(this, "archive", {
      path: props.archive.file,
      type: AssetType.FILE,
      assetHash: props.archive.sha256,
    });
    this.resource = new Notebook(this, "folder", {
      source: asset.path,
      path: `${props.parentFolder}/${props.archive.folderName}`,
    });
    this.folderPath = this.resource.path;
    // The provider joins host and path as they are: a space would end the link in a terminal.
    this.folderUrl = Fn.replace(this.resource.url, " ", "%20");
  }
}
