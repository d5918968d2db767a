import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DeployedLab {
  name?: string;
  location?: string;
  sku?: string;
  nodeType?: string;
  workers?: number;
  runtime?: string;
  /** sha256 of the imported archive (it names the asset the notebook's source points at). */
  archiveSha256?: string;
  folder?: string;
  /** A class's students: a workspace user and a folder each, as the Classroom construct makes them. */
  students?: string[];
  /** Workers of each student's cluster: 0 is the CPU class's single node (the default), 2 the GPU class's. */
  studentWorkers?: number;
  /** Outputs of the apply, beside workspace_url. */
  outputs?: Record<string, unknown>;
}

const AZURERM = 'provider["registry.terraform.io/hashicorp/azurerm"]';
const DATABRICKS = 'provider["registry.terraform.io/databricks/databricks"]';

/**
 * Writes `terraform.<name>.tfstate` as Terraform 1.11 writes it after `cdktf deploy` of the lab
 * (format version 4; resource names are cdktf's unique ids; the attributes the lab reads, and a
 * few others as they appear).
 */
export function writeDeployedState(dir: string, lab: DeployedLab = {}): string {
  const name = lab.name ?? "dp090-ddl";
  const location = lab.location ?? "eastus";
  const sha = lab.archiveSha256 ?? "0".repeat(64);
  const home = "/Users/learner@example.org";
  const resource = (
    type: string,
    resourceName: string,
    provider: string,
    attributes: Record<string, unknown>,
    dependencies: string[] = [],
  ) => ({
    mode: "managed",
    type,
    name: resourceName,
    provider,
    instances: [{ schema_version: 0, attributes, sensitive_attributes: [], dependencies }],
  });
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 7,
    lineage: "5b0b3c8e-9a4f-4c1e-8d43-0c3b2f7e9a11",
    outputs: {
      workspace_url: { value: "https://adb-1234567890123456.7.azuredatabricks.net", type: "string" },
      ...Object.fromEntries(Object.entries(lab.outputs ?? {}).map(([k, value]) => [k, { value, type: "dynamic" }])),
    },
    resources: [
      // A class's resources, as a personal-compute Classroom makes them.
      ...(lab.students ?? []).flatMap((email) => {
        const key = email.replace(/[^a-z0-9]/g, "");
        return [
          resource("databricks_user", `classroom_${key}_user_3F2A1B4C`, DATABRICKS, {
            id: "1234567890",
            user_name: email,
            home: `/Users/${email}`,
          }),
          resource("databricks_directory", `classroom_${key}_folder_5D6E7F80`, DATABRICKS, {
            id: `/Classroom/DP-090/${email}`,
            path: `/Classroom/DP-090/${email}`,
          }),
          resource("databricks_cluster", `classroom_${key}_cluster_9A8B7C6D`, DATABRICKS, {
            cluster_id: `1130-083000-${key.slice(0, 8)}`,
            cluster_name: `${name}-${email}`,
            node_type_id: lab.nodeType ?? "Standard_DS3_v2",
            num_workers: lab.studentWorkers ?? 0,
            ...((lab.studentWorkers ?? 0) === 0
              ? { spark_conf: { "spark.master": "local[*, 4]", "spark.databricks.cluster.profile": "singleNode" } }
              : {}),
            single_user_name: email,
            spark_version: lab.runtime ?? "15.4.x-cpu-ml-scala2.12",
          }),
        ];
      }),
      {
        mode: "data",
        type: "databricks_current_user",
        name: "me",
        provider: DATABRICKS,
        instances: [
          { schema_version: 0, attributes: { home, user_name: "learner@example.org" }, sensitive_attributes: [] },
        ],
      },
      resource("azurerm_resource_group", "resource-group_F5C22916", AZURERM, {
        id: `/subscriptions/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/resourceGroups/rg-${name}`,
        location,
        name: `rg-${name}`,
        tags: { course: "DP-090", lab: name, "managed-by": "cdktf" },
      }),
      resource(
        "azurerm_databricks_workspace",
        "workspace_B76F7DCA",
        AZURERM,
        {
          id: `/subscriptions/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/resourceGroups/rg-${name}/providers/Microsoft.Databricks/workspaces/dbw-${name}`,
          location,
          managed_resource_group_name: `rg-${name}-managed`,
          name: `dbw-${name}`,
          sku: lab.sku ?? "premium",
          workspace_url: "adb-1234567890123456.7.azuredatabricks.net",
        },
        ["azurerm_resource_group.resource-group_F5C22916"],
      ),
      resource("databricks_cluster", "cluster_A4C38409", DATABRICKS, {
        cluster_id: "1130-083000-abcdefgh",
        cluster_name: `${name}-cpu`,
        node_type_id: lab.nodeType ?? "Standard_DS3_v2",
        num_workers: lab.workers ?? 1,
        single_user_name: "learner@example.org",
        spark_version: lab.runtime ?? "15.4.x-cpu-ml-scala2.12",
        url: "https://adb-1234567890123456.7.azuredatabricks.net/#setting/clusters/1130-083000-abcdefgh/configuration",
      }),
      resource("databricks_notebook", "notebooks_folder_399C00B1", DATABRICKS, {
        path: `${home}/${lab.folder ?? "06 - Distributed Deep Learning"}`,
        source: `assets/notebooks_archive_9E6F4E2B/${sha}/${sha}.dbc`,
        url: `https://adb-1234567890123456.7.azuredatabricks.net/#workspace${home}/06 - Distributed Deep Learning`,
      }),
    ],
    check_results: null,
  };
  const file = join(dir, `terraform.${name}.tfstate`);
  writeFileSync(file, JSON.stringify(state, null, 2));
  return file;
}

/** What `cdktf destroy` leaves: the file, with no resources. */
export function writeDestroyedState(dir: string, name = "dp090-ddl"): string {
  const file = join(dir, `terraform.${name}.tfstate`);
  writeFileSync(
    file,
    JSON.stringify({
      version: 4,
      terraform_version: "1.11.4",
      serial: 9,
      lineage: "5b0b3c8e-9a4f-4c1e-8d43-0c3b2f7e9a11",
      outputs: {},
      resources: [],
      check_results: null,
    }),
  );
  return file;
}
