/**
 * How the students of a class get their compute; what differs between the two ways lives here.
 */
export class ClassroomCompute {
  /** One cluster per student, created (and started) by the deploy, restartable by that student only. */
  public static readonly PERSONAL = new ClassroomCompute("personal", {
    clustersAtDeploy: true,
    summary: "one dedicated cluster per student, created by the deploy",
  });

  /** No clusters at deploy: a policy allowing only the lab's shape, one cluster per student. */
  public static readonly POLICY = new ClassroomCompute("policy", {
    clustersAtDeploy: false,
    summary: "a cluster policy for the lab's shape; each student creates one cluster",
  });

  public static readonly ALL: readonly ClassroomCompute[] = [ClassroomCompute.PERSONAL, ClassroomCompute.POLICY];

  public static of(name: string): ClassroomCompute | undefined {
    return ClassroomCompute.ALL.find((c) => c.name === name);
  }

  /** Whether the deploy creates (and so starts) a cluster for every student. */
  public readonly clustersAtDeploy: boolean;
  /** One line for reports. */
  public readonly summary: string;

  private constructor(
    public readonly name: "personal" | "policy",
    options: { clustersAtDeploy: boolean; summary: string },
  ) {
    this.clustersAtDeploy = options.clustersAtDeploy;
    this.summary = options.summary;
  }
}
