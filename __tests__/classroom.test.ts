import { Testing } from "cdktf";
import { LabStack, LabStackProps } from "../constructs";
import { tempDir, writeTemp } from "./helpers/dbc";
import { labInputs, synthLab } from "./helpers/lab";
import { collect } from "./helpers/rules";

const emails = (n: number) =>
  Array.from({ length: n }, (_, i) => `student${String(i + 1).padStart(2, "0")}@example.org`);

/** Stack props for a class, from a roster file written as an instructor would. */
async function classInputs(students: string[], env: Record<string, string> = {}): Promise<LabStackProps> {
  const file = writeTemp("class.csv", ["email,name", ...students.map((e) => `${e},${e.split("@")[0]}`)].join("\r\n"));
  return labInputs({ LAB_STUDENTS_FILE: file, ...env });
}

/** Resources of a type that belong to one student (cdktf names them after the construct path). */
function ofStudent(json: any, type: string, email: string): any[] {
  const prefix = `classroom_${email.replace(/[^a-z0-9]/g, "")}_`;
  return Object.entries<any>(json.resource[type] ?? {})
    .filter(([key]) => key.startsWith(prefix))
    .map(([, resource]) => resource);
}

function one(json: any, type: string, email: string): any {
  const all = ofStudent(json, type, email);
  if (all.length !== 1) throw new Error(`expected one ${type} for ${email}, found ${all.length}`);
  return all[0];
}

describe("a class of 3, personal compute (the default), CPU", () => {
  let json: any;
  beforeAll(async () => {
    json = synthLab(await classInputs(["Ada@Example.org", "grace@example.org", "alan@example.org"])).json;
  });

  test("the instructor keeps today's lab: their cluster and their notebooks", () => {
    expect(json.resource.databricks_cluster.cluster_A4C38409.single_user_name).toBe(
      "${data.databricks_current_user.me.user_name}",
    );
    expect(json.resource.databricks_notebook.notebooks_folder_399C00B1.path).toBe(
      "${data.databricks_current_user.me.home}/06 - Distributed Deep Learning",
    );
  });

  test("each student is a workspace user with workspace access and no right to create compute, in the students group", () => {
    const user = one(json, "databricks_user", "ada@example.org");
    expect(user).toMatchObject({
      user_name: "ada@example.org",
      display_name: "Ada",
      workspace_access: true,
      allow_cluster_create: false,
      allow_instance_pool_create: false,
    });
    // Nothing else: no SQL access (warehouses), no consumer-only access that would replace it.
    expect(
      Object.keys(user)
        .filter((k) => /access|allow_|consume/.test(k))
        .sort(),
    ).toEqual(["allow_cluster_create", "allow_instance_pool_create", "workspace_access"]);
    // Nothing on the students group: entitlements on the user only.
    const groupBody = Object.values<any>(json.resource.databricks_group)[0];
    expect(Object.keys(groupBody).filter((k) => k !== "//")).toEqual(["display_name"]);
    const group = Object.keys(json.resource.databricks_group)[0];
    expect(json.resource.databricks_group[group].display_name).toBe("dp090-students");
    const member = one(json, "databricks_group_member", "ada@example.org");
    expect(member.group_id).toBe(`\${databricks_group.${group}.id}`);
    expect(member.member_id).toMatch(/^\$\{databricks_user\.classroom_adaexampleorg_user_[0-9A-F]+\.id\}$/);
  });

  test("each student has a folder outside /Users, with the notebooks, that only they can open", () => {
    const folder = one(json, "databricks_directory", "ada@example.org");
    expect(folder.path).toMatch(
      /^\$\{databricks_directory\.classroom_course-folder_[0-9A-F]+\.path\}\/ada@example\.org$/,
    );
    const access = ofStudent(json, "databricks_permissions", "ada@example.org").find((p) => p.directory_path);
    expect(access.access_control).toEqual([
      {
        user_name: expect.stringMatching(/^\$\{databricks_user\.classroom_adaexampleorg_user_[0-9A-F]+\.user_name\}$/),
        permission_level: "CAN_MANAGE",
      },
    ]);
    expect(one(json, "databricks_notebook", "ada@example.org").path).toMatch(
      /^\$\{databricks_directory\.classroom_adaexampleorg_folder_[0-9A-F]+\.path\}\/06 - Distributed Deep Learning$/,
    );
    const course = Object.values<any>(json.resource.databricks_directory).find((d) => d.path === "/Classroom/DP-090");
    expect(course).toMatchObject({ delete_recursive: true });
  });

  test("the course folder grants students nothing, so no one reads a classmate's folder by inheritance", () => {
    const course = Object.values<any>(json.resource.databricks_permissions).find((p) =>
      /course-folder/.test(p.directory_path),
    );
    expect(course.access_control).toHaveLength(1);
    expect(course.access_control[0].permission_level).toBe("CAN_MANAGE");
  });

  test("the course folder's one entry names the deployer as what they are: a user, or a service principal by application id", () => {
    const course = Object.values<any>(json.resource.databricks_permissions).find((p) =>
      /course-folder/.test(p.directory_path),
    );
    const isSp = 'startswith(data.databricks_current_user.me.acl_principal_id, "servicePrincipals/")';
    expect(course.access_control[0]).toEqual({
      user_name: `\${${isSp} ? null : data.databricks_current_user.me.user_name}`,
      service_principal_name: `\${${isSp} ? data.databricks_current_user.me.user_name : null}`,
      permission_level: "CAN_MANAGE",
    });
  });

  test("a person who already is a workspace user is never taken over: no force on any student", () => {
    for (const user of Object.values<any>(json.resource.databricks_user)) expect(user).not.toHaveProperty("force");
  });

  test("the deployer's own address on the roster is refused by Terraform before that user is created, naming it", () => {
    const user = one(json, "databricks_user", "grace@example.org");
    expect(user.lifecycle.precondition).toEqual([
      {
        condition: '${(lower(data.databricks_current_user.me.user_name) != "grace@example.org")}',
        error_message: expect.stringMatching(
          /^The roster lists grace@example\.org, the address of whoever deploys: .*Remove grace@example\.org from the roster/,
        ),
      },
    ]);
  });

  test("each student's cluster: dedicated to them, single node Standard_DS3_v2 on 15.4 LTS ML, declared as the server keeps it", () => {
    const cluster = one(json, "databricks_cluster", "ada@example.org");
    expect(cluster).toEqual(
      expect.objectContaining({
        cluster_name: "dp090-ddl-ada@example.org",
        data_security_mode: "SINGLE_USER",
        single_user_name: expect.stringMatching(
          /^\$\{databricks_user\.classroom_adaexampleorg_user_[0-9A-F]+\.user_name\}$/,
        ),
        spark_version: "15.4.x-cpu-ml-scala2.12",
        node_type_id: "Standard_DS3_v2",
        num_workers: 0,
        spark_conf: { "spark.master": "local[*, 4]", "spark.databricks.cluster.profile": "singleNode" },
        custom_tags: { lab: "dp090-ddl", course: "DP-090", "managed-by": "cdktf", ResourceClass: "SingleNode" },
        autotermination_minutes: 120,
        is_pinned: true,
        no_wait: true,
      }),
    );
  });

  test("only the student may restart their cluster, and nothing more", () => {
    const access = ofStudent(json, "databricks_permissions", "ada@example.org").find((p) => p.cluster_id);
    expect(access.cluster_id).toMatch(/^\$\{databricks_cluster\.classroom_adaexampleorg_cluster_[0-9A-F]+\.id\}$/);
    expect(access.access_control).toEqual([
      {
        user_name: expect.stringMatching(/classroom_adaexampleorg_user_[0-9A-F]+\.user_name/),
        permission_level: "CAN_RESTART",
      },
    ]);
  });

  test("no student's resources refer to another student's", () => {
    for (const email of ["ada@example.org", "grace@example.org", "alan@example.org"]) {
      const others = ["adaexampleorg", "graceexampleorg", "alanexampleorg"].filter(
        (k) => !email.startsWith(k.slice(0, 3)),
      );
      const text = JSON.stringify(Object.keys(json.resource).flatMap((type) => ofStudent(json, type, email)));
      for (const other of others) expect([email, text.includes(`classroom_${other}_`)]).toEqual([email, false]);
    }
  });

  test("Personal Compute is closed, so the lab's compute is the students' only compute; its own description is kept", () => {
    const [key, builtin] = Object.entries<any>(json.data.databricks_cluster_policy)[0];
    expect(builtin).toMatchObject({
      name: "Personal Compute",
      depends_on: [expect.stringMatching(/^terraform_data\.workspace_ready_/)],
    });
    expect(Object.values(json.resource.databricks_cluster_policy)).toEqual([
      {
        name: "Personal Compute",
        description: `\${data.databricks_cluster_policy.${key}.description}`,
        policy_family_id: "personal-vm",
        policy_family_definition_overrides: '{"node_type_id":{"type":"forbidden","hidden":true}}',
      },
    ]);
  });

  test("a student's cluster is replaced, never edited, when its layout changes (single node now)", () => {
    const cluster = one(json, "databricks_cluster", "ada@example.org");
    const layout = one(json, "terraform_data", "ada@example.org");
    expect(layout.input).toEqual({ nodes: "single-node" });
    expect(cluster.lifecycle.replace_triggered_by).toEqual([
      expect.stringMatching(/^terraform_data\.classroom_adaexampleorg_cluster_layout_[0-9A-F]+$/),
    ]);
  });

  test("outputs, per student by address, their folder, notebooks link and cluster link", () => {
    expect(json.output.students.value["grace@example.org"]).toEqual({
      folder_path: expect.stringMatching(
        /^\$\{databricks_directory\.classroom_graceexampleorg_folder_[0-9A-F]+\.path\}$/,
      ),
      notebooks_url: expect.stringMatching(
        /^\$\{replace\(databricks_notebook\.classroom_graceexampleorg_notebooks_folder_[0-9A-F]+\.url, " ", "%20"\)\}$/,
      ),
      cluster_url: expect.stringMatching(
        /^\$\{databricks_cluster\.classroom_graceexampleorg_cluster_[0-9A-F]+\.url\}$/,
      ),
    });
  });
});

describe("a class on GPU", () => {
  test("each student gets the GPU lab's shape: a driver and 2 workers of Standard_NC4as_T4_v3, no single node", async () => {
    const json = synthLab(await classInputs(["ada@example.org"], { LAB_VARIANT: "gpu" })).json;
    const cluster = one(json, "databricks_cluster", "ada@example.org");
    expect(cluster).toMatchObject({
      node_type_id: "Standard_NC4as_T4_v3",
      num_workers: 2,
      spark_version: "15.4.x-gpu-ml-scala2.12",
    });
    expect(cluster.spark_conf).toBeUndefined();
    expect(cluster.custom_tags.ResourceClass).toBeUndefined();
    // The marker differs from the CPU class's, so switching LAB_VARIANT replaces the cluster.
    expect(one(json, "terraform_data", "ada@example.org").input).toEqual({ nodes: "multi-node" });
    expect(cluster.lifecycle.replace_triggered_by).toEqual([
      expect.stringMatching(/^terraform_data\.classroom_adaexampleorg_cluster_layout_[0-9A-F]+$/),
    ]);
  });
});

describe("a class of 40", () => {
  test("every student has user, membership, folder, notebooks, cluster and the two ACLs, dedicated to their own address", async () => {
    const students = emails(40);
    const json = synthLab(await classInputs(students)).json;
    for (const email of students) {
      const counts = [
        "databricks_user",
        "databricks_group_member",
        "databricks_directory",
        "databricks_notebook",
        "databricks_cluster",
      ].map((type) => ofStudent(json, type, email).length);
      expect([email, counts, ofStudent(json, "databricks_permissions", email).length]).toEqual([
        email,
        [1, 1, 1, 1, 1],
        2,
      ]);
      const key = email.replace(/[^a-z0-9]/g, "");
      expect(one(json, "databricks_cluster", email).single_user_name).toMatch(
        new RegExp(`databricks_user\\.classroom_${key}_user_`),
      );
    }
    expect(Object.keys(json.resource.databricks_cluster)).toHaveLength(41);
    expect(Object.keys(json.output.students.value)).toEqual(students);
  });
});

describe("changing the roster changes only those students' resources", () => {
  const keysAndBodies = (json: any) =>
    Object.fromEntries(
      Object.entries<any>(json.resource).flatMap(([type, rs]) =>
        Object.entries<any>(rs).map(([k, v]) => [`${type}.${k}`, JSON.stringify(v)]),
      ),
    );

  test("removing one student removes exactly theirs; every other address and body stays", async () => {
    const before = keysAndBodies(synthLab(await classInputs(["a@example.org", "b@example.org", "c@example.org"])).json);
    const after = keysAndBodies(synthLab(await classInputs(["a@example.org", "c@example.org"])).json);
    const removed = Object.keys(before).filter((k) => !(k in after));
    expect(removed.length).toBe(8);
    expect(removed.every((k) => k.includes("classroom_bexampleorg_"))).toBe(true);
    for (const [k, body] of Object.entries(after)) expect([k, body]).toEqual([k, before[k]]);
  });

  test("reordering the roster changes nothing", async () => {
    const a = synthLab(await classInputs(["a@example.org", "b@example.org", "c@example.org"])).json;
    const b = synthLab(await classInputs(["c@example.org", "a@example.org", "b@example.org"])).json;
    expect(keysAndBodies(b)).toEqual(keysAndBodies(a));
  });
});

describe("policy compute", () => {
  let json: any;
  beforeAll(async () => {
    json = synthLab(
      await classInputs(["ada@example.org", "grace@example.org"], { LAB_CLASSROOM_COMPUTE: "policy" }),
    ).json;
  });

  test("creates no student cluster at deploy", () => {
    expect(Object.keys(json.resource.databricks_cluster)).toEqual(["cluster_A4C38409"]);
    expect(Object.keys(json.output.students.value["ada@example.org"])).toEqual(["folder_path", "notebooks_url"]);
  });

  test("a policy that allows only the lab's shape, one cluster per student", () => {
    const policy = Object.values<any>(json.resource.databricks_cluster_policy).find(
      (p) => p.name === "dp090-students compute",
    );
    expect(policy.max_clusters_per_user).toBe(1);
    expect(JSON.parse(policy.definition)).toEqual({
      cluster_type: { type: "fixed", value: "all-purpose" },
      spark_version: { type: "fixed", value: "15.4.x-cpu-ml-scala2.12" },
      node_type_id: { type: "fixed", value: "Standard_DS3_v2" },
      driver_node_type_id: { type: "fixed", value: "Standard_DS3_v2", hidden: true },
      num_workers: { type: "fixed", value: 0, hidden: true },
      "autoscale.min_workers": { type: "forbidden", hidden: true },
      "autoscale.max_workers": { type: "forbidden", hidden: true },
      instance_pool_id: { type: "forbidden", hidden: true },
      data_security_mode: { type: "fixed", value: "SINGLE_USER", hidden: true },
      "azure_attributes.availability": { type: "fixed", value: "ON_DEMAND_AZURE", hidden: true },
      autotermination_minutes: { type: "fixed", value: 120 },
      "spark_conf.spark.master": { type: "fixed", value: "local[*, 4]", hidden: true },
      "spark_conf.spark.databricks.cluster.profile": { type: "fixed", value: "singleNode", hidden: true },
      "custom_tags.ResourceClass": { type: "fixed", value: "SingleNode", hidden: true },
      "custom_tags.lab": { type: "fixed", value: "dp090-ddl", hidden: true },
      "custom_tags.course": { type: "fixed", value: "DP-090", hidden: true },
      "custom_tags.managed-by": { type: "fixed", value: "cdktf", hidden: true },
    });
  });

  test("the students group may use the policy; students keep no cluster-create right", () => {
    const use = Object.values<any>(json.resource.databricks_permissions).find((p) => p.cluster_policy_id);
    // By reference: the grant waits for the group (the Permissions API refuses a missing principal).
    const group = Object.keys(json.resource.databricks_group)[0];
    expect(use.access_control).toEqual([
      { group_name: `\${databricks_group.${group}.display_name}`, permission_level: "CAN_USE" },
    ]);
    expect(json.resource.databricks_group[group].display_name).toBe("dp090-students");
    expect(one(json, "databricks_user", "ada@example.org").allow_cluster_create).toBe(false);
    expect(json.output.student_policy_id.value).toMatch(
      /^\$\{databricks_cluster_policy\.classroom_policy_[0-9A-F]+\.id\}$/,
    );
  });
});

describe("the policy rules cover the class", () => {
  test.each(["personal", "policy"])(
    "a default class (%s) draws no finding but the budget recommendation; with a budget, none",
    async (compute) => {
      const inputs = await classInputs(["ada@example.org", "grace@example.org"], { LAB_CLASSROOM_COMPUTE: compute });
      const app = Testing.app({ outdir: tempDir("app-") });
      const stack = new LabStack(app, inputs.name, inputs);
      app.synth();
      expect(collect(stack).errors).toEqual([]);
      expect(collect(stack).warnings).toEqual([
        expect.stringMatching(/^\[LAB-CLASS-BUDGET\] the stack has a class of 2 students and no consumption budget\./),
      ]);

      const budgeted = await classInputs(["ada@example.org", "grace@example.org"], {
        LAB_CLASSROOM_COMPUTE: compute,
        LAB_BUDGET: "500",
        LAB_BUDGET_EMAILS: "teacher@example.org",
      });
      const app2 = Testing.app({ outdir: tempDir("app-") });
      const stack2 = new LabStack(app2, budgeted.name, budgeted);
      app2.synth();
      expect(collect(stack2).errors).toEqual([]);
      expect(collect(stack2).warnings).toEqual([]);
    },
  );

  test("a student cluster changed to no isolation fails synthesis, naming that student's cluster", async () => {
    const inputs = await classInputs(["ada@example.org", "grace@example.org"]);
    const app = Testing.app({ outdir: tempDir("app-") });
    const stack = new LabStack(app, inputs.name, inputs);
    stack.classroom!.students.get("grace@example.org")!.cluster!.resource.dataSecurityMode = "NONE";
    expect(() => app.synth()).toThrow(
      /\[dp090-ddl\/classroom\/grace@example\.org\/cluster\/cluster\] \[LAB-CLUSTER-ACCESS-MODE\]/,
    );
  });
});
