mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "trial_in_japan" {
  command = plan

  assert {
    condition     = azurerm_databricks_workspace.workspace_B76F7DCA.sku == "trial" && azurerm_databricks_workspace.workspace_B76F7DCA.location == "japaneast"
    error_message = "LAB_SKU=trial and LAB_LOCATION=japaneast reach the workspace."
  }
  assert {
    condition     = azurerm_resource_group.resource-group_F5C22916.location == "japaneast"
    error_message = "The resource group is in the lab's region."
  }
}
