import { Notebook } from "@cdktf/provider-databricks/lib/notebook";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";

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

/**
 * Imports a `.dbc` archive as a folder under `parentFolder`, named like the archive's own
 * top-level folder, as a person importing it by hand would see it.
 */
export class NotebookImport extends Construct {
  /** Workspace path of the imported folder. */
  public readonly folderPath: string;
  /** Link to the folder in the workspace UI. */
  public readonly folderUrl: string;
  /** Escape hatch: the underlying databricks resource. */
  public readonly resource: Notebook;

  constructor(scope: Construct, id: string, props: NotebookImportProps) {
    super(scope, id);
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
    this.folderUrl = this.resource.url;
  }
}
