mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "allow_list" {
  # Applied: the egress address is read from the workspace once it exists.
  command = apply

  assert {
    condition     = databricks_workspace_conf.access_settings_17D95AA9.custom_config["enableIpAccessLists"] == "true"
    error_message = "IP access lists must be turned on."
  }
  assert {
    condition     = databricks_ip_access_list.access_allow_4E84320E.list_type == "ALLOW" && toset(databricks_ip_access_list.access_allow_4E84320E.ip_addresses) == toset(["20.50.0.0/24", "52.160.10.7", "20.42.0.7"])
    error_message = "The allow-list must hold exactly LAB_ALLOWED_IP_RANGES and the workspace's own NAT gateway address."
  }
}
