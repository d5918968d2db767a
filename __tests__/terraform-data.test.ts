import { TerraformStack, Testing } from "cdktf";
import { TerraformData } from "../constructs/terraform-data";

describe("TerraformData", () => {
  test("writes terraform_data with its input, as cdktf's DataResource does", () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), "stack");
    // WHEN
    new TerraformData(stack, "marker", { input: { nodes: "single-node" } });
    // THEN
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.terraform_data).toEqual({ marker: { input: { nodes: "single-node" } } });
  });

  test("synth runs no Terraform binary: its validations pass where Terraform is not installed", () => {
    // GIVEN a PATH without terraform (DataResource's own check would run `terraform version`)
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const stack = new TerraformStack(Testing.app(), "stack");
      const marker = new TerraformData(stack, "marker", { input: { nodes: "multi-node" } });
      // WHEN / THEN
      expect(marker.node.validate()).toEqual([]);
    } finally {
      process.env.PATH = path;
    }
  });
});
