mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "cpu_cluster" {
  command = plan

  assert {
    condition     = databricks_cluster.cluster_A4C38409.spark_version == "15.4.x-cpu-ml-scala2.12" && databricks_cluster.cluster_A4C38409.num_workers == 1 && databricks_cluster.cluster_A4C38409.node_type_id == "Standard_DS3_v2"
    error_message = "The CPU lab runs 15.4 LTS ML on a driver and one Standard_DS3_v2 worker."
  }
  assert {
    condition     = azurerm_databricks_workspace.workspace_B76F7DCA.sku == "premium" && azurerm_databricks_workspace.workspace_B76F7DCA.location == "eastus"
    error_message = "The default workspace is premium, in eastus."
  }
}
