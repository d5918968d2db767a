import { TerraformVariable, Testing } from "cdktf";
import { WorkspaceAccess, WorkspaceAccessProps } from "../constructs";
import { only } from "./helpers/lab";

function synthAccess(props: WorkspaceAccessProps) {
  return JSON.parse(Testing.synthScope((scope) => new WorkspaceAccess(scope, "access", props)));
}

describe("WorkspaceAccess", () => {
  test("by default caps personal access tokens at 7 days and sets no IP access list", () => {
    const json = synthAccess({});
    expect(only(json, "databricks_workspace_conf").custom_config).toEqual({ maxTokenLifetimeDays: "7" });
    expect(json.resource.databricks_ip_access_list).toBeUndefined();
  });

  test("with ranges, turns IP access lists on and allows exactly those ranges, after the setting", () => {
    const json = synthAccess({ allowedIpRanges: ["20.50.0.0/24", "52.160.10.7"], maxTokenLifetimeDays: 3 });
    expect(only(json, "databricks_workspace_conf").custom_config).toEqual({
      maxTokenLifetimeDays: "3",
      enableIpAccessLists: "true",
    });
    const conf = Object.keys(json.resource.databricks_workspace_conf)[0];
    expect(only(json, "databricks_ip_access_list")).toEqual({
      label: "lab-allowed-ranges",
      list_type: "ALLOW",
      ip_addresses: ["20.50.0.0/24", "52.160.10.7"],
      depends_on: [`databricks_workspace_conf.${conf}`],
    });
  });

  test("the compute plane's egress addresses are allowed beside the ranges; without ranges there is no list to add them to", () => {
    const json = synthAccess({ allowedIpRanges: ["20.50.0.0/24"], computeEgressAddresses: ["20.1.2.3"] });
    expect(only(json, "databricks_ip_access_list").ip_addresses).toEqual(["20.50.0.0/24", "20.1.2.3"]);
    expect(synthAccess({ computeEgressAddresses: ["20.1.2.3"] }).resource.databricks_ip_access_list).toBeUndefined();
  });

  test("refuses bad props, all at once, naming the construct", () => {
    expect(() => synthAccess({ allowedIpRanges: ["10.0.0.0/8", "0.0.0.0/0"], maxTokenLifetimeDays: 0 })).toThrow(
      [
        "Invalid WorkspaceAccess props at stack/access:",
        "  - maxTokenLifetimeDays must be a whole number from 1 to 730, got 0",
        '  - allowedIpRanges: "10.0.0.0/8" is private (RFC 1918) (10.0.0.0/8): the workspace only ever sees public addresses',
        '  - allowedIpRanges: "0.0.0.0/0" is too broad (4294967296 addresses; at most a /16 is allowed)',
      ].join("\n"),
    );
    expect(() => synthAccess({ allowedIpRanges: [] })).toThrow(/allowedIpRanges must list at least one range/);
  });

  test("values known only at deploy time are not range-checked", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const days = new TerraformVariable(scope, "days", { type: "number" });
        const range = new TerraformVariable(scope, "range", { type: "string" });
        new WorkspaceAccess(scope, "access", {
          maxTokenLifetimeDays: days.numberValue,
          allowedIpRanges: [range.stringValue],
        });
      }),
    );
    expect(only(json, "databricks_workspace_conf").custom_config.maxTokenLifetimeDays).toBe("${var.days}");
    expect(only(json, "databricks_ip_access_list").ip_addresses).toEqual(["${var.range}"]);
  });
});
