/** Versions of the tools the lab runs with. */

/** Node.js: cdktf 0.21 needs 20.9. */
export const MIN_NODE_VERSION = "20.9.0";

/** Terraform: cdktf needs 1.2; the stack's `terraform_data` (the workspace's ready marker) needs 1.4. */
export const MIN_TERRAFORM_VERSION = "1.4.0";
