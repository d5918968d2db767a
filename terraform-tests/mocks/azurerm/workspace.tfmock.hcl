# What azurerm returns for the lab's workspace; every other value is made up by the mock provider.
mock_resource "azurerm_databricks_workspace" {
  defaults = {
    id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dp090-ddl/providers/Microsoft.Databricks/workspaces/dbw-dp090-ddl"
    workspace_url = "adb-1234567890123456.7.azuredatabricks.net"
  }
}

# The managed NAT gateway's public IP, which the workspace names in custom_parameters.
mock_data "azurerm_public_ip" {
  defaults = {
    ip_address = "20.42.0.7"
  }
}

# The subscription a budget is created in (azurerm validates subscription_id as /subscriptions/<uuid>).
mock_data "azurerm_subscription" {
  defaults = {
    id = "/subscriptions/00000000-0000-0000-0000-000000000000"
  }
}
