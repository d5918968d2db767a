# The deploying user, as the workspace reports them once it exists.
mock_data "databricks_current_user" {
  defaults = {
    home             = "/Users/learner@example.org"
    user_name        = "learner@example.org"
    acl_principal_id = "users/learner@example.org"
  }
}

# The built-in Personal Compute policy, as the workspace has it before the class edits it.
mock_data "databricks_cluster_policy" {
  defaults = {
    description = "Built-in Personal Compute description"
  }
}
