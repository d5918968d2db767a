# The deploying user, as the workspace reports them once it exists.
mock_data "databricks_current_user" {
  defaults = {
    home      = "/Users/learner@example.org"
    user_name = "learner@example.org"
  }
}
