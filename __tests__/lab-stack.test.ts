import { App, Testing } from "cdktf";
import { LabStack } from "../constructs";
import { tempDir } from "./helpers/dbc";
import { labInputs, only, synthLab, Synthesized } from "./helpers/lab";
import { collect } from "./helpers/rules";

const TAGS = { lab: "dp090-ddl", course: "DP-090", "managed-by": "cdktf" };

describe.each([
  ["cpu", "15.4.x-cpu-ml-scala2.12", "Standard_DS3_v2", 1],
  ["gpu", "15.4.x-gpu-ml-scala2.12", "Standard_NC4as_T4_v3", 2],
])("LabStack, %s variant", (variant, runtime, nodeType, workers) => {
  let lab: Synthesized;
  beforeAll(async () => {
    lab = synthLab(await labInputs({ LAB_VARIANT: variant }));
  });

  test("synthesizes with validations and matches the reviewed snapshot", () => {
    expect(lab.text).toMatchSnapshot();
  });

  test("pins both providers to the versions the prebuilt packages wrap", () => {
    expect(lab.json.terraform.required_providers).toEqual({
      azurerm: { source: "azurerm", version: "4.55.0" },
      databricks: { source: "databricks/databricks", version: "1.99.0" },
    });
  });

  test("configures azurerm to delete the workspace's Unity Catalog data on destroy, with no hard-coded subscription", () => {
    expect(lab.json.provider.azurerm).toEqual([{ features: [{ databricks_workspace: [{ force_delete: true }] }] }]);
  });

  test("requires Terraform 1.4 or later (terraform_data)", () => {
    expect(lab.json.terraform.required_version).toBe(">= 1.4.0");
  });

  test("pins the cluster, so Databricks never deletes it 30 days after it stopped", () => {
    expect(only(lab.json, "databricks_cluster").is_pinned).toBe(true);
  });

  test("configures databricks from the workspace, so one deploy creates both", () => {
    expect(lab.json.provider.databricks).toEqual([
      {
        host: "https://${azurerm_databricks_workspace.workspace_B76F7DCA.workspace_url}",
        azure_workspace_resource_id: "${azurerm_databricks_workspace.workspace_B76F7DCA.id}",
      },
    ]);
  });

  test("every databricks data source waits for the workspace, through a marker that changes only when it is replaced", () => {
    const data = lab.json.data;
    expect(Object.keys(data)).toEqual(["databricks_current_user"]);
    for (const source of Object.values<Record<string, { depends_on: string[] }>>(data).flatMap(Object.values)) {
      expect(source.depends_on).toEqual(["terraform_data.workspace_ready_40AC9022"]);
    }
    expect(lab.json.resource.terraform_data.workspace_ready_40AC9022).toEqual({
      input: { workspace_id: "${azurerm_databricks_workspace.workspace_B76F7DCA.id}" },
    });
  });

  test("names the resource group and workspace from LAB_NAME, in LAB_LOCATION, tagged", () => {
    expect(only(lab.json, "azurerm_resource_group")).toEqual(
      expect.objectContaining({ name: "rg-dp090-ddl", location: "eastus", tags: TAGS }),
    );
    expect(only(lab.json, "azurerm_databricks_workspace")).toEqual(
      expect.objectContaining({
        name: "dbw-dp090-ddl",
        location: "eastus",
        sku: "premium",
        managed_resource_group_name: "rg-dp090-ddl-managed",
        custom_parameters: { no_public_ip: true },
        public_network_access_enabled: true,
        tags: TAGS,
      }),
    );
  });

  test(`runs ${runtime} on ${workers} x ${nodeType}, dedicated to the deploying user, tagged`, () => {
    expect(only(lab.json, "databricks_cluster")).toEqual(
      expect.objectContaining({
        cluster_name: `dp090-ddl-${variant}`,
        spark_version: runtime,
        node_type_id: nodeType,
        driver_node_type_id: nodeType,
        num_workers: workers,
        autotermination_minutes: 120,
        data_security_mode: "SINGLE_USER",
        single_user_name: "${data.databricks_current_user.me.user_name}",
        custom_tags: TAGS,
      }),
    );
  });

  test("imports the notebooks into the deploying user's home under the archive's folder", () => {
    expect(only(lab.json, "databricks_notebook").path).toBe(
      "${data.databricks_current_user.me.home}/06 - Distributed Deep Learning",
    );
  });

  test("declares the outputs a user needs to start the lab", () => {
    const values = Object.fromEntries(Object.entries<{ value: string }>(lab.json.output).map(([k, v]) => [k, v.value]));
    expect(values).toEqual({
      workspace_url: "https://${azurerm_databricks_workspace.workspace_B76F7DCA.workspace_url}",
      resource_group_name: "${azurerm_resource_group.resource-group_F5C22916.name}",
      cluster_id: "${databricks_cluster.cluster_A4C38409.id}",
      cluster_url: "${databricks_cluster.cluster_A4C38409.url}",
      notebook_folder_path: "${databricks_notebook.notebooks_folder_399C00B1.path}",
      notebook_folder_url: '${replace(databricks_notebook.notebooks_folder_399C00B1.url, " ", "%20")}',
    });
  });

  test("no false dependencies: cluster and notebooks need only the workspace (through the current user)", () => {
    const cluster = JSON.stringify(only(lab.json, "databricks_cluster"));
    const notebook = JSON.stringify(only(lab.json, "databricks_notebook"));
    expect(cluster).not.toContain("databricks_notebook");
    expect(notebook).not.toContain("databricks_cluster");
    expect(only(lab.json, "databricks_cluster").depends_on).toBeUndefined();
    expect(only(lab.json, "databricks_notebook").depends_on).toBeUndefined();
    expect(only(lab.json, "azurerm_databricks_workspace").depends_on).toBeUndefined();
  });
});

describe("LabStack settings", () => {
  test("LAB_NAME names the stack and every resource, so two labs keep separate state", async () => {
    const lab = synthLab(await labInputs({ LAB_NAME: "team-b", LAB_LOCATION: "Japan East", LAB_SKU: "trial" }));
    expect(lab.stack.node.id).toBe("team-b");
    expect(only(lab.json, "azurerm_resource_group")).toMatchObject({ name: "rg-team-b", location: "japaneast" });
    expect(only(lab.json, "azurerm_databricks_workspace")).toMatchObject({
      name: "dbw-team-b",
      sku: "trial",
      managed_resource_group_name: "rg-team-b-managed",
      tags: { lab: "team-b" },
    });
    expect(only(lab.json, "databricks_cluster").cluster_name).toBe("team-b-cpu");
  });

  test("LAB_SUBSCRIPTION_ID goes into the azurerm provider", async () => {
    const id = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    const lab = synthLab(await labInputs({ LAB_SUBSCRIPTION_ID: id }));
    expect(lab.json.provider.azurerm).toEqual([
      { features: [{ databricks_workspace: [{ force_delete: true }] }], subscription_id: id },
    ]);
  });

  test("workers, size, runtime and auto-termination reach the cluster", async () => {
    const lab = synthLab(
      await labInputs({
        LAB_WORKERS: "3",
        LAB_NODE_TYPE: "Standard_DS4_v2",
        LAB_RUNTIME: "14.3.x-cpu-ml-scala2.12",
        LAB_AUTOTERMINATION_MINUTES: "45",
      }),
    );
    expect(only(lab.json, "databricks_cluster")).toMatchObject({
      num_workers: 3,
      node_type_id: "Standard_DS4_v2",
      driver_node_type_id: "Standard_DS4_v2",
      spark_version: "14.3.x-cpu-ml-scala2.12",
      autotermination_minutes: 45,
    });
  });

  test("synthesis is deterministic: the same inputs give byte-identical JSON", async () => {
    const inputs = await labInputs({ LAB_VARIANT: "gpu" });
    const again = await labInputs({ LAB_VARIANT: "gpu" });
    expect(synthLab(inputs).text).toBe(synthLab(again).text);
  });
});

describe("LabStack, who can reach the lab", () => {
  test("by default: no IP access list, personal access tokens capped at 7 days", async () => {
    const lab = synthLab(await labInputs());
    expect(only(lab.json, "databricks_workspace_conf").custom_config).toEqual({ maxTokenLifetimeDays: "7" });
    expect(lab.json.resource.databricks_ip_access_list).toBeUndefined();
    expect(lab.json.data.azurerm_public_ip).toBeUndefined();
  });

  test("with LAB_ALLOWED_IP_RANGES: IP access lists on, exactly those ranges, and the public-access rule met without suppression", async () => {
    const inputs = await labInputs({
      LAB_ALLOWED_IP_RANGES: "20.50.0.0/24,52.160.10.7",
      LAB_MAX_TOKEN_LIFETIME_DAYS: "2",
    });
    const app = Testing.app({ outdir: tempDir("app-") });
    const stack = new LabStack(app, inputs.name, inputs);
    app.synth();
    const json = stack.toTerraform() as any;
    expect(only(json, "databricks_workspace_conf").custom_config).toEqual({
      maxTokenLifetimeDays: "2",
      enableIpAccessLists: "true",
    });
    const ws = Object.keys(json.resource.azurerm_databricks_workspace)[0];
    const egress = Object.keys(json.data.azurerm_public_ip)[0];
    expect(only(json, "databricks_ip_access_list")).toMatchObject({
      list_type: "ALLOW",
      // The user's ranges, and the clusters' own way to the control plane (the managed NAT gateway's IP).
      ip_addresses: ["20.50.0.0/24", "52.160.10.7", `\${data.azurerm_public_ip.${egress}.ip_address}`],
    });
    // Found by the names the workspace reports (the NAT gateway's public IP in the managed group), never guessed.
    expect(only(json, "azurerm_public_ip", "data")).toMatchObject({
      name: `\${azurerm_databricks_workspace.${ws}.custom_parameters[0].public_ip_name}`,
      resource_group_name: `\${azurerm_databricks_workspace.${ws}.managed_resource_group_name}`,
    });
    expect(only(json, "azurerm_databricks_workspace")["//"].suppressed_rules).toBeUndefined();
    const findings = collect(stack);
    expect(findings.errors).toEqual([]);
    expect(findings.warnings).toEqual([]);
  });
});

describe("LabStack, remote state", () => {
  test("with LAB_STATE_STORAGE_ACCOUNT: an azurerm backend signing in with Entra ID, no local state, no secret", async () => {
    const lab = synthLab(
      await labInputs({
        LAB_STATE_STORAGE_ACCOUNT: "stlabstate",
        LAB_STATE_RESOURCE_GROUP: "rg-state",
        LAB_NAME: "team-b",
      }),
    );
    expect(lab.json.terraform.backend).toEqual({
      azurerm: {
        storage_account_name: "stlabstate",
        container_name: "tfstate",
        key: "team-b.tfstate",
        resource_group_name: "rg-state",
        use_azuread_auth: true,
      },
    });
    expect(lab.text).not.toMatch(/access_key|sas_token|client_secret|ARM_ACCESS_KEY/);
  });

  test("by default the state stays in the local file", async () => {
    expect(synthLab(await labInputs()).json.terraform.backend?.azurerm).toBeUndefined();
  });
});

describe("LabStack policy rules", () => {
  test.each(["cpu", "gpu"])(
    "the default %s lab draws no error or warning, only the documented suppression",
    async (variant) => {
      const inputs = await labInputs({ LAB_VARIANT: variant });
      const app = Testing.app({ outdir: tempDir("app-") });
      const stack = new LabStack(app, inputs.name, inputs);
      app.synth();
      const json = stack.toTerraform();
      const findings = collect(stack);
      expect(findings.errors).toEqual([]);
      expect(findings.warnings).toEqual([]);

      const suppressed = Object.values<Record<string, { "//"?: { suppressed_rules?: unknown[] } }>>(json.resource)
        .flatMap(Object.values)
        .flatMap((r) => r["//"]?.suppressed_rules ?? []);
      expect(suppressed).toEqual([
        { id: "LAB-WORKSPACE-PUBLIC-ACCESS", reason: expect.stringMatching(/browser on any network/) },
      ]);
    },
  );

  test("a non-compliant cluster fails synthesis, naming the rule", async () => {
    const inputs = await labInputs();
    const app = Testing.app({ outdir: tempDir("app-") });
    const stack = new LabStack(app, inputs.name, inputs);
    stack.cluster.resource.dataSecurityMode = "NONE";
    expect(() => app.synth()).toThrow(
      /\[dp090-ddl\/cluster\/cluster\] \[LAB-CLUSTER-ACCESS-MODE\] data_security_mode is NONE, a no-isolation mode\./,
    );
  });

  test("the auto-termination limit comes from the settings: raised on purpose, synthesis passes", async () => {
    const relaxed = await labInputs({ LAB_AUTOTERMINATION_MINUTES: "600", LAB_MAX_AUTOTERMINATION_MINUTES: "720" });
    const app = Testing.app({ outdir: tempDir("app-") });
    new LabStack(app, "relaxed", relaxed);
    expect(() => app.synth()).not.toThrow();
  });

  test("a cluster changed past the limit after the settings were checked still fails synthesis", async () => {
    const inputs = await labInputs();
    const strict = new LabStack(Testing.app({ outdir: tempDir("app-") }), "strict", inputs);
    strict.cluster.resource.autoterminationMinutes = 600;
    expect(() => (strict.node.root as App).synth()).toThrow(
      /\[LAB-CLUSTER-AUTOTERMINATION\] autotermination_minutes is 600, more than the 240-minute limit/,
    );
  });
});
