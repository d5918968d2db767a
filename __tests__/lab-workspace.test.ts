import { TerraformOutput, Testing } from "cdktf";
import { LabResourceGroup, LabWorkspace, LabWorkspaceProps } from "../constructs";
import { only } from "./helpers/lab";

function synthWorkspace(props: Partial<LabWorkspaceProps> = {}) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const resourceGroup = new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "westeurope" });
      new LabWorkspace(scope, "ws", { resourceGroup, name: "dbw-lab", ...props });
    }),
  );
}

describe("LabWorkspace", () => {
  test("defaults: premium, secure cluster connectivity and public access set explicitly, derived managed group", () => {
    const ws = only(synthWorkspace(), "azurerm_databricks_workspace");
    expect(ws.name).toBe("dbw-lab");
    expect(ws.sku).toBe("premium");
    expect(ws.custom_parameters).toEqual({ no_public_ip: true });
    expect(ws.public_network_access_enabled).toBe(true);
    expect(ws.managed_resource_group_name).toBe("dbw-lab-managed");
  });

  test("is placed in the group's region and references the group by name", () => {
    const ws = only(synthWorkspace(), "azurerm_databricks_workspace");
    expect(ws.location).toBe("westeurope");
    expect(ws.resource_group_name).toMatch(/^\$\{azurerm_resource_group\.rg_group_[0-9A-F]+\.name\}$/);
  });

  test("takes the SKU, managed group, tags and network choices given", () => {
    const ws = only(
      synthWorkspace({
        sku: "trial",
        managedResourceGroupName: "rg-lab-managed",
        tags: { lab: "lab" },
        noPublicIp: false,
        publicNetworkAccess: false,
      }),
      "azurerm_databricks_workspace",
    );
    expect(ws).toMatchObject({
      sku: "trial",
      managed_resource_group_name: "rg-lab-managed",
      tags: { lab: "lab" },
      custom_parameters: { no_public_ip: false },
      public_network_access_enabled: false,
    });
  });

  test("exposes an https workspace URL and the resource id for the databricks provider", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const resourceGroup = new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "eastus" });
        const ws = new LabWorkspace(scope, "ws", { resourceGroup, name: "dbw-lab" });
        new TerraformOutput(scope, "url", { value: ws.workspaceUrl });
        new TerraformOutput(scope, "id", { value: ws.resourceId });
      }),
    );
    expect(json.output.url.value).toMatch(
      /^https:\/\/\$\{azurerm_databricks_workspace\.ws_workspace_[0-9A-F]+\.workspace_url\}$/,
    );
    expect(json.output.id.value).toMatch(/^\$\{azurerm_databricks_workspace\.ws_workspace_[0-9A-F]+\.id\}$/);
  });
});

describe("LabWorkspace.ready", () => {
  test("is a terraform_data holding the workspace id: it changes only when the workspace is replaced", () => {
    const json = synthWorkspace();
    const ws = Object.keys(json.resource.azurerm_databricks_workspace)[0];
    expect(only(json, "terraform_data")).toEqual({
      input: { workspace_id: `\${azurerm_databricks_workspace.${ws}.id}` },
    });
  });

  test("its egress address: the public IP the workspace names, in its managed group, read once however often asked", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const resourceGroup = new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "westeurope" });
        const ws = new LabWorkspace(scope, "ws", { resourceGroup, name: "dbw-lab" });
        new TerraformOutput(scope, "a", { value: ws.egressAddress() });
        new TerraformOutput(scope, "b", { value: ws.egressAddress() });
      }),
    );
    const ws = Object.keys(json.resource.azurerm_databricks_workspace)[0];
    const ip = Object.keys(json.data.azurerm_public_ip);
    expect(ip).toHaveLength(1);
    expect(json.data.azurerm_public_ip[ip[0]]).toEqual({
      name: `\${azurerm_databricks_workspace.${ws}.custom_parameters[0].public_ip_name}`,
      resource_group_name: `\${azurerm_databricks_workspace.${ws}.managed_resource_group_name}`,
    });
    expect(json.output.a.value).toBe(`\${data.azurerm_public_ip.${ip[0]}.ip_address}`);
  });

  test("without secure cluster connectivity there is no one egress address to ask for", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const resourceGroup = new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "westeurope" });
        new LabWorkspace(scope, "ws", { resourceGroup, name: "dbw-lab", noPublicIp: false }).egressAddress();
      }),
    ).toThrow(/egressAddress needs noPublicIp/);
  });
});
