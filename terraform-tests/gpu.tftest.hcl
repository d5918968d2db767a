mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "gpu_cluster" {
  command = plan

  assert {
    condition     = databricks_cluster.cluster_A4C38409.spark_version == "15.4.x-gpu-ml-scala2.12" && databricks_cluster.cluster_A4C38409.num_workers == 2 && databricks_cluster.cluster_A4C38409.node_type_id == "Standard_NC4as_T4_v3"
    error_message = "The GPU lab runs 15.4 LTS ML (GPU) on a driver and two Standard_NC4as_T4_v3 workers."
  }
}
