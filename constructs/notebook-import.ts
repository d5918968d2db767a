import { AssetType, TerraformAsset } from "cdktf";
import { DataDatabricksCurrentUser } from "@cdktf/provider-databricks/lib/data-databricks-current-user";
import { Notebook } from "@cdktf/provider-databricks/lib/notebook";
import { Construct } from "constructs";
import { NotebookArchive } from "../lab/notebook-archive";

export interface NotebookImportProps {
  /** A verified `.dbc` archive on local disk. */
  readonly archive: NotebookArchive;
  /** The user whose home folder receives the archive's folder. */
  readonly owner: DataDatabricksCurrentUser;
}

/**
 * Imports a `.dbc` archive as a folder in the owner's home, named like the archive's own
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
      path: `${props.owner.home}/${props.archive.folderName}`,
    });
    this.folderPath = this.resource.path;
    this.folderUrl = this.resource.url;
  }
}
