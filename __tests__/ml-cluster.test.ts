import { DataDatabricksCurrentUser } from "@cdktf/provider-databricks/lib/data-databricks-current-user";
import { TerraformVariable, Testing } from "cdktf";
import { LabVariant, MlCluster, MlClusterProps } from "../constructs";
import { only } from "./helpers/lab";

function synthCluster(props: Partial<MlClusterProps> & { variant: LabVariant }) {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const owner = new DataDatabricksCurrentUser(scope, "me");
      new MlCluster(scope, "cluster", { singleUserName: owner.userName, clusterName: "lab", ...props });
    }),
  );
}

describe.each([
  [LabVariant.CPU, "15.4.x-cpu-ml-scala2.12", "Standard_DS3_v2", 1],
  [LabVariant.GPU, "15.4.x-gpu-ml-scala2.12", "Standard_NC4as_T4_v3", 2],
])("MlCluster, %s variant defaults", (variant, runtime, nodeType, workers) => {
  const cluster = () => only(synthCluster({ variant }), "databricks_cluster");

  test(`runs ${runtime}, the last ML runtime with HorovodRunner`, () => {
    expect(cluster().spark_version).toBe(runtime);
  });

  test(`uses ${nodeType} for driver and workers, ${workers} worker(s)`, () => {
    expect(cluster()).toMatchObject({ node_type_id: nodeType, driver_node_type_id: nodeType, num_workers: workers });
  });

  test("stops after 120 idle minutes", () => {
    expect(cluster().autotermination_minutes).toBe(120);
  });

  test("is dedicated to the deploying user", () => {
    expect(cluster().data_security_mode).toBe("SINGLE_USER");
    expect(cluster().single_user_name).toBe("${data.databricks_current_user.me.user_name}");
  });

  test("uses on-demand VMs and no pool", () => {
    expect(cluster().azure_attributes).toEqual({ availability: "ON_DEMAND_AZURE" });
    expect(cluster().instance_pool_id).toBeUndefined();
    expect(cluster().driver_instance_pool_id).toBeUndefined();
  });
});

describe("MlCluster, explicit props", () => {
  test("takes runtime, size, workers, auto-termination and tags as given", () => {
    const cluster = only(
      synthCluster({
        variant: LabVariant.GPU,
        runtime: "14.3.x-gpu-ml-scala2.12",
        nodeType: "Standard_NC8as_T4_v3",
        workers: 4,
        autoterminationMinutes: 30,
        tags: { lab: "x" },
      }),
      "databricks_cluster",
    );
    expect(cluster).toMatchObject({
      cluster_name: "lab",
      spark_version: "14.3.x-gpu-ml-scala2.12",
      node_type_id: "Standard_NC8as_T4_v3",
      driver_node_type_id: "Standard_NC8as_T4_v3",
      num_workers: 4,
      autotermination_minutes: 30,
      custom_tags: { lab: "x" },
    });
  });

  test("refuses impossible props, all of them in one error", () => {
    expect(() =>
      synthCluster({
        variant: LabVariant.CPU,
        runtime: "15.4.x-gpu-ml-scala2.12",
        workers: 0,
        autoterminationMinutes: 0,
      }),
    ).toThrow(
      /Invalid MlCluster props at stack\/cluster:\n  - workers must be a whole number from 1 to 20, got 0\n  - autoterminationMinutes must be a whole number from 10 to 10000, got 0\n  - runtime must be a -cpu-ml- runtime key for a cpu cluster, got "15.4.x-gpu-ml-scala2.12"/,
    );
  });

  test("skips the range check of values only known at deploy time (tokens)", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const workers = new TerraformVariable(scope, "workers", { type: "number" });
        new MlCluster(scope, "cluster", {
          variant: LabVariant.CPU,
          singleUserName: "someone@example.org",
          clusterName: "lab",
          workers: workers.numberValue,
        });
      }),
    );
    expect(only(json, "databricks_cluster").num_workers).toBe("${var.workers}");
  });

  test.each([
    [false, "multi-node"],
    [true, "single-node"],
  ])(
    "singleNode %s: a layout marker (%s) whose change replaces the cluster instead of editing it",
    (singleNode, nodes) => {
      const json = synthCluster({ variant: LabVariant.CPU, singleNode });
      const marker = Object.keys(json.resource.terraform_data);
      expect(marker).toHaveLength(1);
      expect(json.resource.terraform_data[marker[0]]).toEqual({ input: { nodes } });
      expect(only(json, "databricks_cluster").lifecycle).toEqual({
        replace_triggered_by: [`terraform_data.${marker[0]}`],
      });
    },
  );
});
