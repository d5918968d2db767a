# Every variant: what only Terraform's planner can show about the synthesized stack
# (scripts/validate.js copies this beside cdk.tf.json, with the variant's own file).

mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "first_plan" {
  command = plan

  assert {
    condition     = azurerm_resource_group.resource-group_F5C22916.name == "rg-dp090-ddl"
    error_message = "The first plan must create the resource group rg-dp090-ddl."
  }
  assert {
    condition     = azurerm_databricks_workspace.workspace_B76F7DCA.managed_resource_group_name == "rg-dp090-ddl-managed"
    error_message = "The first plan must create the workspace with its managed resource group."
  }
  assert {
    condition     = databricks_cluster.cluster_A4C38409.data_security_mode == "SINGLE_USER" && databricks_cluster.cluster_A4C38409.is_pinned
    error_message = "The first plan must create the pinned, dedicated ML cluster."
  }
  assert {
    condition     = startswith(databricks_notebook.notebooks_folder_399C00B1.source, "assets/")
    error_message = "The first plan must import the notebook archive from the stack's assets."
  }
}

run "deploy" {
  command   = apply
  state_key = "main"

  assert {
    condition     = databricks_notebook.notebooks_folder_399C00B1.path == "/Users/learner@example.org/06 - Distributed Deep Learning"
    error_message = "The notebooks must land in the deploying user's home, under the archive's folder."
  }
  # Every output the README promises.
  assert {
    condition     = output.workspace_url == "https://adb-1234567890123456.7.azuredatabricks.net"
    error_message = "workspace_url must be the workspace's https address."
  }
  assert {
    condition     = output.resource_group_name == "rg-dp090-ddl"
    error_message = "resource_group_name must be planned."
  }
  assert {
    condition     = output.cluster_id != "" && output.cluster_url != ""
    error_message = "cluster_id and cluster_url must be planned."
  }
  assert {
    condition     = output.notebook_folder_path == "/Users/learner@example.org/06 - Distributed Deep Learning"
    error_message = "notebook_folder_path must be planned."
  }
  assert {
    condition     = !strcontains(output.notebook_folder_url, " ")
    error_message = "notebook_folder_url must be a link without spaces."
  }
}

# A tag added to the workspace by hand or by Azure Policy: the workspace is updated in place, and
# the current user must still be read at plan (so the notebook folder, whose path is ForceNew,
# keeps its path). A depends_on on the workspace itself would defer the read and fail here.
run "tag_drift" {
  command   = plan
  state_key = "main"

  module {
    source = "./tag-drift"
  }
  # azurerm plans a tag change as an update in place: the id and the URL stay what they are.
  override_resource {
    target          = azurerm_databricks_workspace.workspace_B76F7DCA
    override_during = plan
    values = {
      id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dp090-ddl/providers/Microsoft.Databricks/workspaces/dbw-dp090-ddl"
      workspace_url = "adb-1234567890123456.7.azuredatabricks.net"
    }
  }

  assert {
    condition     = data.databricks_current_user.me.home == "/Users/learner@example.org"
    error_message = "The current user must be read at plan despite the workspace's pending tag change."
  }
  assert {
    condition     = databricks_notebook.notebooks_folder_399C00B1.path == "/Users/learner@example.org/06 - Distributed Deep Learning"
    error_message = "The notebook folder's path must stay known (and so the folder stay) on a tag change."
  }
}

# `npm run destroy` with the network off and the archive cache deleted: its synth leaves out the
# notebook folder (and a class), and Terraform still plans from the state, dropping what is left
# out. The test's teardown then destroys this state with this configuration, as the destroy would.
run "destroy_offline" {
  command   = plan
  state_key = "main"

  module {
    source = "./destroy-offline"
  }

  assert {
    condition     = azurerm_databricks_workspace.workspace_B76F7DCA.id != ""
    error_message = "The destroy's configuration must still hold the deployed workspace."
  }
}
