import { Testing } from "cdktf";
import { LabResourceGroup } from "../constructs";
import { only } from "./helpers/lab";

describe("LabResourceGroup", () => {
  test("creates the group with its name, region and tags", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "japaneast", tags: { lab: "lab" } });
      }),
    );
    expect(only(json, "azurerm_resource_group")).toMatchObject({ name: "rg-lab", location: "japaneast", tags: { lab: "lab" } });
  });

  test("without tags, writes none", () => {
    const json = JSON.parse(Testing.synthScope((scope) => new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "eastus" })));
    expect(only(json, "azurerm_resource_group").tags).toBeUndefined();
  });

  test("exposes the name as a reference, so users of it wait for the group", () => {
    let group: LabResourceGroup | undefined;
    Testing.synthScope((scope) => {
      group = new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "eastus" });
    });
    expect(group!.name).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(group!.location).toBe("eastus");
  });
});
