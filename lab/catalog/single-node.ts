/**
 * What makes a Databricks cluster single-node, as the Clusters UI writes it and the server keeps it:
 * no workers, Spark in local mode on the driver's cores, and the profile and tag that mark it.
 * Declaring all of it (rather than `kind` + `is_single_node`, a preview that makes the server fill
 * these in and Terraform see a change on every plan, provider issue #4360) keeps plans clean.
 */
export const SINGLE_NODE = {
  sparkConf: { "spark.master": "local[*, 4]", "spark.databricks.cluster.profile": "singleNode" },
  customTags: { ResourceClass: "SingleNode" },
} as const;
