import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { LabRulePack, SuppressionError, suppressRule } from "../constructs";
import type { LabRule } from "../constructs/rules";
import { collect } from "./helpers/rules";
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

  test.each([
    ["LAB-CLUSTER-AUTOTERMINATION", "because", /^needs a reason a reviewer can check/],
    ["lab-cluster-autotermination", REASON, /^names no rule: rule ids look like LAB-CLUSTER-ACCESS-MODE\.$/],
  ])("a malformed suppression (%s) is the user's mistake: a SuppressionError with its parts", (id, reason, problem) => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir("app-") }), "test");
    const cluster = compliantCluster(stack);
    let error: unknown;
    try {
      suppressRule(cluster, id, reason);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SuppressionError);
    expect(error).toMatchObject({ path: "test/cluster", ruleId: id, problem: expect.stringMatching(problem) });
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

describe("a rule that throws", () => {
  /** The pack with its first rule replaced by one that throws on clusters. */
  function packWithBrokenRule(level: LabRule["level"]): LabRulePack {
    const pack = new LabRulePack({ requiredTags: TAGS });
    const broken: LabRule = {
      id: "LAB-BROKEN",
      rationale: "a test rule.",
      level,
      fix: "none.",
      check(subject) {
        if (subject.kind === "resource" && subject.type === "databricks_cluster") throw new TypeError("boom");
        return { status: "not-applicable" };
      },
    };
    (pack.rules as LabRule[]).splice(0, 1, broken);
    return pack;
  }

  test.each(["error", "warning"] as const)(
    "is a %s finding naming the rule and the resource, and the other rules still run",
    (level) => {
      const stack = new TerraformStack(Testing.app({ outdir: tempDir("app-") }), "test");
      new DatabricksProvider(stack, "databricks", {});
      compliantCluster(stack, { dataSecurityMode: "NONE" });
      Aspects.of(stack).add(packWithBrokenRule(level));
      Testing.synth(stack, true);
      const findings = collect(stack);
      const expected = [
        "[LAB-BROKEN] the rule could not check this (TypeError: boom); this is a bug of the rule, please report it. Why: a test rule. Fix: none.",
      ];
      expect(level === "error" ? findings.errors : findings.warnings).toEqual(expect.arrayContaining(expected));
      expect(findings.pathsOf("LAB-BROKEN")).toEqual(["test/cluster"]);
      expect(findings.of("LAB-CLUSTER-ACCESS-MODE")).toHaveLength(1);
    },
  );
});
