# A class of three, policy compute: no student cluster, a policy for the lab's shape.

mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "policy" {
  command = plan

  assert {
    condition     = databricks_cluster_policy.classroom_policy_758FDE03.max_clusters_per_user == 1 && jsondecode(databricks_cluster_policy.classroom_policy_758FDE03.definition).num_workers.value == 0
    error_message = "The policy allows one single-node cluster per student."
  }
  assert {
    condition     = jsondecode(databricks_cluster_policy.classroom_policy_758FDE03.definition)["autoscale.min_workers"].type == "forbidden" && jsondecode(databricks_cluster_policy.classroom_policy_758FDE03.definition)["autoscale.max_workers"].type == "forbidden" && !contains(keys(jsondecode(databricks_cluster_policy.classroom_policy_758FDE03.definition)), "autoscale")
    error_message = "The policy forbids autoscaling by its documented paths only."
  }
  assert {
    condition     = one(databricks_permissions.classroom_policy_use_6EA88FBA.access_control).group_name == "dp090-students" && one(databricks_permissions.classroom_policy_use_6EA88FBA.access_control).permission_level == "CAN_USE"
    error_message = "The students group may use the policy."
  }
}
