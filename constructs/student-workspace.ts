import { Directory } from "@cdktf/provider-databricks/lib/directory";
import { GroupMember } from "@cdktf/provider-databricks/lib/group-member";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { User } from "@cdktf/provider-databricks/lib/user";
import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import { ClusterShapeProps } from "./cluster-shape";
import { MlCluster } from "./ml-cluster";
import { DbcArchive, NotebookImport } from "./notebook-import";
import { Rule, validateAllProps } from "./validate-props";

/** A workspace group, such as the class's students group. */
export interface IGroup {
  /** The group's id, for memberships. */
  readonly groupId: string;
}

/** The cluster one student gets, when the deploy makes one: the lab's shape, in the variant's student layout. */
export interface StudentClusterOptions extends ClusterShapeProps {
  /** Display name of the cluster. */
  readonly clusterName: string;
}

export interface StudentWorkspaceProps {
  /** The address the student signs in with; it becomes their workspace user name. */
  readonly email: string;
  /**
   * How the workspace shows them.
   * @default - the address
   */
  readonly displayName?: string;
  /** The group the student joins (no cluster-create right, no admin right). */
  readonly group: IGroup;
  /**
   * The deployer's user name (a reference such as `databricks_current_user`'s `userName`): the
   * student's address must not be theirs, or the deploy would take over, lower and later delete the
   * deployer's own user. Checked by Terraform before the user is created.
   */
  readonly deployerUserName: string;
  /** The folder their own folder goes in, such as `/Classroom/DP-090` (outside `/Users`). */
  readonly parentFolder: string;
  /** The course's notebook archive, imported into their folder. */
  readonly archive: DbcArchive;
  /**
   * A cluster dedicated to the student, restartable by them only.
   * @default - no cluster (they create one within a policy)
   */
  readonly cluster?: StudentClusterOptions;
}

/** A plain address (the roster checks it fully); its case is the roster's business, lowered here. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const STUDENT_WORKSPACE_RULES: readonly Rule<StudentWorkspaceProps>[] = [
  {
    prop: "email",
    condition: ({ email }) => !EMAIL.test(email),
    message: ({ email }) => `email must be an address, got "${email}"`,
  },
  {
    prop: "parentFolder",
    condition: ({ parentFolder }) => !parentFolder.startsWith("/") || /^\/Users(\/|$)/.test(parentFolder),
    message: ({ parentFolder }) =>
      `parentFolder must be an absolute workspace path outside /Users (an admin cannot create a student's home), got "${parentFolder}"`,
  },
];

/**
 * One student: a workspace user in the class's group, a folder of their own with the course's
 * notebooks that only they (and admins) can open, and optionally a cluster only they can use.
 * Nothing here depends on another student's resources.
 */
export class StudentWorkspace extends Construct {
  public readonly user: User;
  /** Workspace path of the student's folder. */
  public readonly folderPath: string;
  public readonly notebooks: NotebookImport;
  public readonly cluster?: MlCluster;

  constructor(scope: Construct, id: string, props: StudentWorkspaceProps) {
    super(scope, id);
    validateAllProps(this, "StudentWorkspace", props, STUDENT_WORKSPACE_RULES);
    const email = props.email.toLowerCase();

    this.user = new User(this, "user", {
      userName: email,
      displayName: props.displayName ?? email,
      // Entitlements only here (never on the group too: the provider warns that mixing is
      // non-deterministic). Workspace access explicitly: workspaces whose `users` group has no
      // entitlements any more give a new user nothing else. No cluster, pool or SQL warehouse
      // creation: compute comes from the deploy or the policy.
      workspaceAccess: true,
      allowClusterCreate: false,
      allowInstancePoolCreate: false,
      // No `force`: a person who already is a workspace user (a colleague, someone added by hand or
      // by identity management) fails the deploy at their address instead of being taken over, and
      // so never deleted by a destroy.
      lifecycle: {
        precondition: [
          {
            condition: Op.neq(Fn.lower(props.deployerUserName), email),
            errorMessage: `The roster lists ${email}, the address of whoever deploys: the deploy would take over the deployer's own user. Remove ${email} from the roster (the instructor keeps their own lab).`,
          },
        ],
      },
    });
    new GroupMember(this, "member", { groupId: props.group.groupId, memberId: this.user.id });

    // Not the home folder: /Users/<them> appears only at their first sign-in, and an admin cannot
    // create it (DIRECTORY_PROTECTED).
    const folder = new Directory(this, "folder", { path: `${props.parentFolder}/${email}`, deleteRecursive: true });
    this.folderPath = folder.path;
    // Authoritative: the student manages their folder; other students get nothing (admins always can).
    new Permissions(this, "folder-access", {
      directoryPath: folder.path,
      accessControl: [{ userName: this.user.userName, permissionLevel: "CAN_MANAGE" }],
    });
    this.notebooks = new NotebookImport(this, "notebooks", { archive: props.archive, parentFolder: folder.path });

    if (props.cluster) {
      this.cluster = new MlCluster(this, "cluster", {
        ...props.cluster,
        ...props.cluster.variant.student,
        singleUserName: this.user.userName,
        // Forty clusters start together; the deploy need not wait for each to run.
        waitUntilRunning: false,
      });
      new Permissions(this, "cluster-access", {
        clusterId: this.cluster.clusterId,
        accessControl: [{ userName: this.user.userName, permissionLevel: "CAN_RESTART" }],
      });
    }
  }
}
