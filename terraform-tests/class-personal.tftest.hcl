# A class of three (ada, grace, alan), personal compute.

mock_provider "azurerm" {
  source = "./tests/mocks/azurerm"
}

mock_provider "databricks" {
  source = "./tests/mocks/databricks"
}

run "students" {
  command = plan

  assert {
    condition     = databricks_user.classroom_adaexampleorg_user_E376B446.user_name == "ada@example.org" && databricks_user.classroom_adaexampleorg_user_E376B446.workspace_access && !databricks_user.classroom_adaexampleorg_user_E376B446.allow_cluster_create && databricks_user.classroom_adaexampleorg_user_E376B446.force != true
    error_message = "Each student is a workspace user with workspace access, without the cluster-create right, never taken over."
  }
  assert {
    condition     = databricks_cluster.classroom_adaexampleorg_cluster_4104C89A.single_user_name == "ada@example.org" && databricks_cluster.classroom_adaexampleorg_cluster_4104C89A.num_workers == 0 && databricks_cluster.classroom_adaexampleorg_cluster_4104C89A.no_wait
    error_message = "Each student's cluster is a single node dedicated to them, not waited for."
  }
  assert {
    condition     = one(databricks_permissions.classroom_adaexampleorg_cluster-access_94981AA0.access_control).permission_level == "CAN_RESTART" && one(databricks_permissions.classroom_adaexampleorg_cluster-access_94981AA0.access_control).user_name == "ada@example.org"
    error_message = "Only the student may restart their cluster."
  }
}

run "budget" {
  command = plan

  assert {
    condition     = azurerm_consumption_budget_subscription.budget_16939279.amount == 600 && one(azurerm_consumption_budget_subscription.budget_16939279.filter[0].dimension).values == tolist(["rg-dp090-ddl", "rg-dp090-ddl-managed"])
    error_message = "The budget covers the lab's resource group and the managed one, where the cluster VMs bill."
  }
  assert {
    condition     = length(azurerm_consumption_budget_subscription.budget_16939279.notification) == 4
    error_message = "Four alerts: 50, 80 and 100 % of actual spend, 100 % of forecast."
  }
}

run "deploy" {
  command   = apply
  state_key = "class"

  assert {
    condition     = toset(keys(output.students)) == toset(["ada@example.org", "grace@example.org", "alan@example.org"])
    error_message = "The students output lists every student by address."
  }
}

# grace leaves the class: the others' resources keep their addresses, so they stay as they are
# (a resource at a new address would be planned as new, its id unknown until applied).
run "roster_changed" {
  command   = plan
  state_key = "class"

  module {
    source = "./roster-changed"
  }

  assert {
    condition     = databricks_directory.classroom_adaexampleorg_folder_1C26F216.id != "" && databricks_notebook.classroom_adaexampleorg_notebooks_folder_DFFBF664.id != ""
    error_message = "ada's folder and notebooks must be the ones already deployed."
  }
  assert {
    condition     = toset(keys(output.students)) == toset(["ada@example.org", "alan@example.org"])
    error_message = "Only grace leaves the students output."
  }
}

# Deployed by a service principal (CI): the course folder's ACL names it as one.
run "service_principal_deployer" {
  command = apply

  override_data {
    target = data.databricks_current_user.me
    values = {
      user_name        = "8d2f4a6e-1c3b-4e5f-9a7b-0c1d2e3f4a5b"
      home             = "/Users/8d2f4a6e-1c3b-4e5f-9a7b-0c1d2e3f4a5b"
      acl_principal_id = "servicePrincipals/8d2f4a6e-1c3b-4e5f-9a7b-0c1d2e3f4a5b"
    }
  }

  assert {
    condition     = one(databricks_permissions.classroom_course-folder-access_C64E0B18.access_control).service_principal_name == "8d2f4a6e-1c3b-4e5f-9a7b-0c1d2e3f4a5b" && one(databricks_permissions.classroom_course-folder-access_C64E0B18.access_control).user_name == null
    error_message = "A service principal is named by service_principal_name in the course folder's ACL."
  }
}

# A user deployer is named by user_name.
run "user_deployer" {
  command = apply

  assert {
    condition     = one(databricks_permissions.classroom_course-folder-access_C64E0B18.access_control).user_name == "learner@example.org" && one(databricks_permissions.classroom_course-folder-access_C64E0B18.access_control).service_principal_name == null
    error_message = "A user deployer is named by user_name in the course folder's ACL."
  }
  assert {
    condition     = databricks_cluster_policy.classroom_personal-compute_002994BE.description == "Built-in Personal Compute description"
    error_message = "The Personal Compute override keeps the built-in policy's own description."
  }
}

# The deployer's own address on the roster: with the workspace deployed (the runs above) the
# deployer is read at plan, so the plan fails before anything is created or changed.
run "deployer_on_roster" {
  command = plan

  override_data {
    target = data.databricks_current_user.me
    values = {
      user_name        = "Ada@Example.org"
      home             = "/Users/Ada@Example.org"
      acl_principal_id = "users/Ada@Example.org"
    }
  }

  expect_failures = [databricks_user.classroom_adaexampleorg_user_E376B446]
}
