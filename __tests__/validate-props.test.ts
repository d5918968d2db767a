import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import {
  Classroom,
  ClassroomCompute,
  ClassroomPolicy,
  LabVariant,
  LabResourceGroup,
  LabWorkspace,
  StudentWorkspace,
  ValidationError,
} from "../constructs";
import { ClassroomProps } from "../constructs/classroom";
import { Rule, validateAllProps, wholeNumberIn } from "../constructs/validate-props";
import { AUTOTERMINATION_RANGE, MAX_STUDENTS } from "../lab/catalog/limits";
import { UserError } from "../lab/errors";
import { makeDbc, writeTemp } from "./helpers/dbc";
import { TerraformData } from "../constructs/terraform-data";

const stack = () => new TerraformStack(Testing.app(), "stack");
const ARCHIVE = {
  file: writeTemp("lab.dbc", makeDbc()),
  sha256: "a".repeat(64),
  folderName: "06 - Distributed Deep Learning",
};

/** What a construct threw: its fields, never its message parsed. */
function refusal(build: (scope: Construct) => void): ValidationError {
  try {
    build(stack());
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("nothing was refused");
}

describe("validateAllProps, the one validator every construct uses", () => {
  interface Props {
    readonly count?: number;
    readonly name: string;
    readonly items?: readonly string[];
  }
  const RULES: readonly Rule<Props>[] = [
    wholeNumberIn("count", { min: 1, max: 3 }),
    { prop: "name", condition: ({ name }) => name === "", message: () => "name must not be empty" },
    { items: "items", problem: (item) => (item.startsWith("x") ? `items: "${item}" starts with x` : undefined) },
  ];

  test("reports every broken rule and every bad item together, as a UserError with its fields", () => {
    const error = refusal((scope) =>
      validateAllProps(new Construct(scope, "thing"), "Thing", { count: 4, name: "", items: ["xa", "b", "xc"] }, RULES),
    );
    expect(error).toBeInstanceOf(UserError);
    expect([error.construct, error.path, error.problems]).toEqual([
      "Thing",
      "stack/thing",
      [
        "count must be a whole number from 1 to 3, got 4",
        "name must not be empty",
        'items: "xa" starts with x',
        'items: "xc" starts with x',
      ],
    ]);
    expect(error.message).toBe(`Invalid Thing props at stack/thing:\n  - ${error.problems.join("\n  - ")}`);
  });

  test("passes props that keep every rule, and unset optional ones", () => {
    expect(() => validateAllProps(stack(), "Thing", { name: "a", count: 2, items: ["b"] }, RULES)).not.toThrow();
    expect(() => validateAllProps(stack(), "Thing", { name: "a" }, RULES)).not.toThrow();
  });

  test("skips values only known at deploy time, in a prop and among the items", () => {
    const scope = stack();
    const count = new TerraformVariable(scope, "count", { type: "number" }).numberValue;
    const item = new TerraformVariable(scope, "item", { type: "string" }).stringValue;
    expect(() => validateAllProps(scope, "Thing", { name: "a", count, items: [item] }, RULES)).not.toThrow();
  });

  test.each([
    [AUTOTERMINATION_RANGE.min - 1, false],
    [AUTOTERMINATION_RANGE.min, true],
    [AUTOTERMINATION_RANGE.max, true],
    [AUTOTERMINATION_RANGE.max + 1, false],
    [30.5, false],
  ])("wholeNumberIn: %s is within the auto-termination range: %s", (value, ok) => {
    const rule = wholeNumberIn<{ n: number }>("n", AUTOTERMINATION_RANGE);
    expect(rule.condition({ n: value })).toBe(!ok);
  });
});

describe("LabResourceGroup validates its name as Azure does", () => {
  const build = (name: string) => (scope: Construct) => new LabResourceGroup(scope, "rg", { name, location: "eastus" });

  test.each(["", "r".repeat(91), "rg-lab.", "rg lab", "rg/lab"])("refuses %j", (name) => {
    expect(refusal(build(name)).problems).toEqual([
      `name must be 1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period, got "${name}"`,
    ]);
  });

  test.each(["r", "r".repeat(90), "rg-dp090_ddl.(1)"])("takes %j", (name) => {
    expect(() => build(name)(stack())).not.toThrow();
  });
});

describe("LabWorkspace validates its name as azurerm does (3 to 64 letters, digits, _ and -)", () => {
  const build = (name: string) => (scope: Construct) =>
    new LabWorkspace(scope, "ws", {
      resourceGroup: new LabResourceGroup(scope, "rg", { name: "rg-lab", location: "eastus" }),
      name,
    });

  test.each(["ab", "a".repeat(65), "dbw lab", "dbw.lab"])("refuses %j", (name) => {
    expect(refusal(build(name)).problems).toEqual([
      `name must be 3 to 64 letters, digits, underscores and hyphens, got "${name}"`,
    ]);
  });

  test.each(["abc", "a".repeat(64), "dbw-dp090_ddl"])("takes %j", (name) => {
    expect(() => build(name)(stack())).not.toThrow();
  });
});

describe("ClassroomPolicy validates its name and the shared cluster shape", () => {
  const build = (props: { name?: string; runtime?: string; autoterminationMinutes?: number }) => (scope: Construct) =>
    new ClassroomPolicy(scope, "policy", {
      name: "dp090-students compute",
      groupName: "dp090-students",
      variant: LabVariant.CPU,
      ...props,
    });

  test("all problems together: the API's name limit, a runtime of another variant, an impossible auto-termination", () => {
    const error = refusal(
      build({ name: "p".repeat(101), runtime: "15.4.x-gpu-ml-scala2.12", autoterminationMinutes: 5 }),
    );
    expect([error.construct, error.path, error.problems]).toEqual([
      "ClassroomPolicy",
      "stack/policy",
      [
        "name must be 1 to 100 characters, got 101",
        "autoterminationMinutes must be a whole number from 10 to 10000, got 5",
        'runtime must be a -cpu-ml- runtime key for a cpu cluster, got "15.4.x-gpu-ml-scala2.12"',
      ],
    ]);
  });

  test.each(["", "p".repeat(101)])("refuses a name of %#", (name) => {
    expect(refusal(build({ name })).problems).toEqual([`name must be 1 to 100 characters, got ${name.length}`]);
  });

  test("takes the lab's defaults and a 100-character name", () => {
    expect(() => build({})(stack())).not.toThrow();
    expect(() => build({ name: "p".repeat(100) })(stack())).not.toThrow();
  });
});

describe("Classroom validates its roster and folders", () => {
  const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `s${i}@example.org` }));
  const build = (props: Partial<ClassroomProps>) => (scope: Construct) =>
    new Classroom(scope, "classroom", {
      students: emails(2),
      compute: ClassroomCompute.POLICY,
      archive: ARCHIVE,
      deployer: {
        userName: "teacher@example.org",
        aclPrincipalId: "users/teacher@example.org",
        ready: new TerraformData(scope, "ready", { input: {} }),
      },
      variant: LabVariant.CPU,
      clusterNamePrefix: "lab",
      ...props,
    });

  test.each([0, MAX_STUDENTS + 1])("refuses %s students", (n) => {
    expect(refusal(build({ students: emails(n) })).problems).toEqual([
      `students must list 1 to ${MAX_STUDENTS} students, got ${n}`,
    ]);
  });

  test("takes exactly the cap", () => {
    expect(() => build({ students: emails(MAX_STUDENTS) })(stack())).not.toThrow();
  });

  test("refuses the same address twice (case aside), a course folder in /Users or relative, an empty group, all together", () => {
    const error = refusal(
      build({
        students: [{ email: "Ada@example.org" }, { email: "ada@example.org" }],
        courseFolder: "/Users/teacher@example.org/class",
        groupName: " ",
      }),
    );
    expect([error.construct, error.problems]).toEqual([
      "Classroom",
      [
        "students must list each address once, got twice: ada@example.org",
        'courseFolder must be an absolute workspace path outside /Users, got "/Users/teacher@example.org/class"',
        "groupName must not be empty",
      ],
    ]);
    expect(refusal(build({ courseFolder: "Classroom" })).problems).toEqual([
      'courseFolder must be an absolute workspace path outside /Users, got "Classroom"',
    ]);
  });
});

describe("StudentWorkspace validates its address and folder", () => {
  test("refuses a non-address and a folder in /Users, together", () => {
    const error = refusal(
      (scope) =>
        new StudentWorkspace(scope, "student", {
          email: "ada example.org",
          group: { groupId: "1" },
          deployerUserName: "teacher@example.org",
          parentFolder: "/Users/ada",
          archive: ARCHIVE,
        }),
    );
    expect([error.construct, error.path, error.problems]).toEqual([
      "StudentWorkspace",
      "stack/student",
      [
        'email must be an address, got "ada example.org"',
        'parentFolder must be an absolute workspace path outside /Users (an admin cannot create a student\'s home), got "/Users/ada"',
      ],
    ]);
  });
});

describe("every construct validates through the one validator", () => {
  const sources = readdirSync(join(__dirname, "..", "constructs")).filter(
    (f) => f.endsWith(".ts") && !["index.ts", "lab-stack.ts"].includes(f),
  );
  const constructs = sources.filter((f) =>
    /extends Construct\b/.test(readFileSync(join(__dirname, "..", "constructs", f), "utf8")),
  );

  test("there are constructs to check", () => {
    expect(constructs.length).toBeGreaterThanOrEqual(8);
  });

  test.each(constructs)("%s calls validateAllProps and throws no error of its own making", (file) => {
    const text = readFileSync(join(__dirname, "..", "constructs", file), "utf8");
    expect(text).toMatch(/validateAllProps\(this, "[A-Za-z]+", /);
    expect(text).not.toMatch(/throw new Error\(/);
  });
});
