import { TerraformOutput, Testing } from "cdktf";
import { LabResourceGroup } from "../constructs";
import { only } from "./helpers/lab";

describe("LabResourceGroup", () => {
  test("creates the group with its name, region and tags", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "japaneast", tags: { lab: "lab" } });
      }),
    );
    expect(only(json, "azurerm_resource_group")).toMatchObject({
      name: "rg-lab",
      location: "japaneast",
      tags: { lab: "lab" },
    });
  });

  test("without tags, writes none", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "eastus" })),
    );
    expect(only(json, "azurerm_resource_group").tags).toBeUndefined();
  });

  test("exposes the name as a reference, so users of it wait for the group", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const group = new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "eastus" });
        new TerraformOutput(scope, "name", { value: group.name });
        new TerraformOutput(scope, "location", { value: group.location });
      }),
    );
    expect(json.output.name.value).toMatch(/^\$\{azurerm_resource_group\.rg_group_[0-9A-F]+\.name\}$/);
    expect(json.output.location.value).toBe("eastus");
  });
});
