import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { LabRulePack, suppressRule } from "../constructs";
import { tempDir } from "./helpers/dbc";
import { TAGS, compliantCluster, compliantWorkspace, runRules } from "./helpers/rules";

const REASON = "Classroom clusters idle through lunch; the instructor stops them by hand.";

/** A full synth with the rule pack, as `cdktf synth` runs it; returns the written cdk.tf.json. */
function synthWithRules(build: (stack: TerraformStack) => void) {
  const app = Testing.app({ outdir: tempDir("app-") });
  const stack = new TerraformStack(app, "test");
  new DatabricksProvider(stack, "databricks", {});
  build(stack);
  Aspects.of(stack).add(new LabRulePack({ requiredTags: TAGS }));
  app.synth();
  return JSON.parse(readFileSync(join(app.outdir, "stacks", "test", "cdk.tf.json"), "utf8"));
}

describe("suppressRule", () => {
  test("silences the rule on that construct only", () => {
    const findings = runRules((s) => {
      const quiet = compliantCluster(s, { autoterminationMinutes: 0 }, "quiet");
      compliantCluster(s, { autoterminationMinutes: 0 }, "loud");
      suppressRule(quiet, "LAB-CLUSTER-AUTOTERMINATION", REASON);
    });
    expect(findings.pathsOf("LAB-CLUSTER-AUTOTERMINATION")).toEqual(["test/loud"]);
  });

  test("on a wrapper construct, covers every resource inside it", () => {
    const findings = runRules((s) => {
      const group = new Construct(s, "group");
      compliantWorkspace(group, { publicNetworkAccessEnabled: true });
      suppressRule(group, "LAB-WORKSPACE-PUBLIC-ACCESS", REASON);
    });
    expect(findings.of("LAB-WORKSPACE-PUBLIC-ACCESS")).toEqual([]);
  });

  test("writes every suppression and its reason into the resource's metadata in the JSON", () => {
    const written = synthWithRules((stack) => {
      const cluster = compliantCluster(stack);
      suppressRule(cluster, "LAB-CLUSTER-AUTOTERMINATION", REASON);
      suppressRule(cluster, "LAB-CLUSTER-LTS-RUNTIME", "The course pins an older runtime on purpose.");
    });
    const config = written.resource.databricks_cluster.cluster;
    expect(config["//"].suppressed_rules).toEqual([
      { id: "LAB-CLUSTER-AUTOTERMINATION", reason: REASON },
      { id: "LAB-CLUSTER-LTS-RUNTIME", reason: "The course pins an older runtime on purpose." },
    ]);
  });

  test("a resource added to a suppressed scope later still carries the suppression in the JSON", () => {
    const written = synthWithRules((stack) => {
      const group = new Construct(stack, "group");
      suppressRule(group, "LAB-CLUSTER-AUTOTERMINATION", REASON);
      compliantCluster(group, { autoterminationMinutes: 0 }, "late");
    });
    const [cluster] = Object.values<{ "//": { suppressed_rules: unknown } }>(written.resource.databricks_cluster);
    expect(cluster["//"].suppressed_rules).toEqual([{ id: "LAB-CLUSTER-AUTOTERMINATION", reason: REASON }]);
  });

  test.each(["", "   ", "because"])("refuses a suppression without a real reason (%j)", (reason) => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir("app-") }), "test");
    const cluster = compliantCluster(stack);
    expect(() => suppressRule(cluster, "LAB-CLUSTER-AUTOTERMINATION", reason)).toThrow(
      /Suppressing LAB-CLUSTER-AUTOTERMINATION on test\/cluster needs a reason a reviewer can check \(at least 20 characters\)/,
    );
  });

  test("a suppression naming no rule of the pack is an error, so a typo cannot hide a finding", () => {
    const findings = runRules((s) => {
      const cluster = compliantCluster(s, { autoterminationMinutes: 0 });
      suppressRule(cluster, "LAB-CLUSTER-AUTOTERMINATON", REASON);
    });
    expect(findings.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^A suppression names LAB-CLUSTER-AUTOTERMINATON, which is not a rule of this pack/),
        expect.stringContaining("[LAB-CLUSTER-AUTOTERMINATION]"),
      ]),
    );
  });
});
