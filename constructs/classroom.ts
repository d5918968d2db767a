import { ClusterPolicy } from "@cdktf/provider-databricks/lib/cluster-policy";
import { DataDatabricksClusterPolicy } from "@cdktf/provider-databricks/lib/data-databricks-cluster-policy";
import { Directory } from "@cdktf/provider-databricks/lib/directory";
import { Group } from "@cdktf/provider-databricks/lib/group";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { ClassroomCompute } from "../lab/catalog/classroom-compute";
import { MAX_STUDENTS } from "../lab/catalog/limits";
import { ClusterShapeProps } from "./cluster-shape";
import { ClassroomPolicy } from "./classroom-policy";
import { DbcArchive } from "./notebook-import";
import { StudentWorkspace } from "./student-workspace";
import { Rule, validateAllProps } from "./validate-props";

/** Whoever deploys, a user or a service principal, as `databricks_current_user` reports them. */
export interface IDeployer {
  /** Their user name; a service principal's is its application id. */
  readonly userName: string;
  /** `users/<name>` or `servicePrincipals/<application id>`. */
  readonly aclPrincipalId: string;
  /** What reads of the workspace must wait for (the workspace's ready marker). */
  readonly ready: ITerraformDependable;
}

/** A student as the roster names them. */
export interface ClassroomStudent {
  /** The address they sign in with. */
  readonly email: string;
  /** @default - the address */
  readonly name?: string;
}

/** The lab's cluster shape: each student's cluster (or the policy) takes it in the variant's student layout. */
export interface ClassroomProps extends ClusterShapeProps {
  /** The roster: 1 to 50 students, each address once (case aside). */
  readonly students: readonly ClassroomStudent[];
  /** Personal clusters made by the deploy, or a policy students create their cluster with. */
  readonly compute: ClassroomCompute;
  /** The course's notebook archive: every student gets their own copy. */
  readonly archive: DbcArchive;
  /** Whoever deploys (the instructor): a workspace admin, and never one of the students. */
  readonly deployer: IDeployer;
  /** Prefix of every student cluster's name. */
  readonly clusterNamePrefix: string;
  /**
   * Where the students' folders go: an absolute workspace path outside `/Users`.
   * @default "/Classroom/DP-090"
   */
  readonly courseFolder?: string;
  /**
   * The students group.
   * @default "dp090-students"
   */
  readonly groupName?: string;
}

const CLASSROOM_RULES: readonly Rule<ClassroomProps>[] = [
  {
    prop: "students",
    condition: ({ students }) => students.length < 1 || students.length > MAX_STUDENTS,
    message: ({ students }) => `students must list 1 to ${MAX_STUDENTS} students, got ${students.length}`,
  },
  {
    prop: "students",
    condition: ({ students }) => duplicates(students).length > 0,
    message: ({ students }) => `students must list each address once, got twice: ${duplicates(students).join(", ")}`,
  },
  {
    prop: "courseFolder",
    condition: ({ courseFolder }) =>
      courseFolder !== undefined && (!courseFolder.startsWith("/") || /^\/Users(\/|$)/.test(courseFolder)),
    message: ({ courseFolder }) =>
      `courseFolder must be an absolute workspace path outside /Users, got "${courseFolder}"`,
  },
  {
    prop: "groupName",
    condition: ({ groupName }) => groupName !== undefined && groupName.trim() === "",
    message: () => "groupName must not be empty",
  },
];

function duplicates(students: readonly ClassroomStudent[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const email of students.map((s) => s.email.toLowerCase())) (seen.has(email) ? twice : seen).add(email);
  return [...twice];
}

/**
 * A whole class in one workspace: a students group, a course folder with a folder per student,
 * their compute, and Personal Compute closed so that compute is the lab's only. Each student's
 * resources are keyed by their address, never by their place in the roster.
 */
export class Classroom extends Construct {
  public readonly group: Group;
  public readonly courseFolder: string;
  /** Per student, by address. */
  public readonly students: ReadonlyMap<string, StudentWorkspace>;
  /** The policy students create their cluster with (policy compute). */
  public readonly policy?: ClassroomPolicy;

  constructor(scope: Construct, id: string, props: ClassroomProps) {
    super(scope, id);
    validateAllProps(this, "Classroom", props, CLASSROOM_RULES);
    const courseFolder = props.courseFolder ?? "/Classroom/DP-090";
    const groupName = props.groupName ?? "dp090-students";

    this.group = new Group(this, "students", { displayName: groupName });
    const folder = new Directory(this, "course-folder", { path: courseFolder, deleteRecursive: true });
    this.courseFolder = folder.path;
    // Authoritative: students get nothing here, so no one reads a classmate's folder by inheritance.
    // The ACL needs one entry: the deployer, named as the kind of principal they are.
    new Permissions(this, "course-folder-access", {
      directoryPath: folder.path,
      accessControl: [{ ...deployerPrincipal(props.deployer), permissionLevel: "CAN_MANAGE" }],
    });

    // Every user may create single-node clusters through the built-in Personal Compute policy
    // unless it is closed; the lab's compute is the students' only compute. Editing the built-in
    // policy replaces all its fields: its own description is read and written back, or every plan
    // would show it changing (description is Optional, not Computed) and a destroy would lose it.
    const builtin = new DataDatabricksClusterPolicy(this, "personal-compute-builtin", {
      name: "Personal Compute",
      dependsOn: [props.deployer.ready],
    });
    new ClusterPolicy(this, "personal-compute", {
      name: "Personal Compute",
      description: builtin.description,
      policyFamilyId: "personal-vm",
      policyFamilyDefinitionOverrides: JSON.stringify({ node_type_id: { type: "forbidden", hidden: true } }),
    });

    const shape: ClusterShapeProps = {
      variant: props.variant,
      runtime: props.runtime,
      nodeType: props.nodeType,
      autoterminationMinutes: props.autoterminationMinutes,
      tags: props.tags,
    };
    if (!props.compute.clustersAtDeploy) {
      this.policy = new ClassroomPolicy(this, "policy", {
        name: `${groupName} compute`,
        // The group's own attribute, so the grant waits for the group (the API refuses a missing principal).
        groupName: this.group.displayName,
        ...shape,
      });
    }

    const students = new Map<string, StudentWorkspace>();
    for (const student of props.students) {
      const email = student.email.toLowerCase();
      students.set(
        email,
        new StudentWorkspace(this, email, {
          email,
          displayName: student.name,
          group: { groupId: this.group.id },
          deployerUserName: props.deployer.userName,
          parentFolder: folder.path,
          archive: props.archive,
          cluster: props.compute.clustersAtDeploy
            ? { clusterName: `${props.clusterNamePrefix}-${email}`, ...shape }
            : undefined,
        }),
      );
    }
    this.students = students;
  }
}

/**
 * An ACL entry's principal for the deployer: `service_principal_name` for a service principal
 * (whose user name is its application id), else `user_name`, decided at deploy time.
 */
function deployerPrincipal(deployer: IDeployer): { userName: string; servicePrincipalName: string } {
  const isServicePrincipal = Fn.startswith(deployer.aclPrincipalId, "servicePrincipals/");
  return {
    userName: Token.asString(Fn.conditional(isServicePrincipal, Token.nullValue(), deployer.userName)),
    servicePrincipalName: Token.asString(Fn.conditional(isServicePrincipal, deployer.userName, Token.nullValue())),
  };
}
