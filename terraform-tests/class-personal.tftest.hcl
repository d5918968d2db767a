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
    condition     = databricks_user.classroom_adaexampleorg_user_E376B446.user_name == "ada@example.org" && !databricks_user.classroom_adaexampleorg_user_E376B446.allow_cluster_create
    error_message = "Each student is a workspace user without the cluster-create right."
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
