import { ClassroomCompute } from "../catalog/classroom-compute";
import { code, invalid, projectPath, setting, valid } from "./declaration";
import { Roster, RosterProblem, readAddressList, readRoster } from "./roster";

/** A class: who is in it and how they get their compute. */
export interface Classroom {
  readonly roster: Roster;
  readonly compute: ClassroomCompute;
}

/** The settings that turn the single-learner lab into a class; `resolveClassroom` combines them. */
export const CLASSROOM_SETTINGS = {
  studentsFile: setting({
    env: "LAB_STUDENTS_FILE",
    scope: "lab",
    documentedDefault: "unset",
    parse: (raw, context) => valid(projectPath(raw, context)),
  }),

  classroomCompute: setting({
    env: "LAB_CLASSROOM_COMPUTE",
    scope: "lab",
    documentedDefault: code(ClassroomCompute.PERSONAL.name),
    parse(raw) {
      const compute = ClassroomCompute.of((raw ?? ClassroomCompute.PERSONAL.name).toLowerCase());
      if (compute) return valid(compute);
      return invalid(
        "must be personal or policy.",
        "set LAB_CLASSROOM_COMPUTE=personal (a cluster per student, made by the deploy) or policy (students create their own, within a policy).",
      );
    },
  }),

  removeStudents: setting({
    env: "LAB_REMOVE_STUDENTS",
    scope: "lab",
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined) return valid<readonly string[]>([]);
      const { emails, wrong, wrongList } = readAddressList(raw);
      if (wrong.length === 0) return valid<readonly string[]>(emails);
      return invalid(
        `must be the e-mail addresses of the students to remove, separated by commas; ${wrongList}.`,
        "copy the addresses from the error that asked for them.",
      );
    },
  }),
};

/** The class the settings describe, or none (the single-learner lab). */
export function resolveClassroom(
  studentsFile: string | undefined,
  compute: ClassroomCompute | undefined,
): { classroom?: Classroom; problems: RosterProblem[] } {
  if (studentsFile === undefined || compute === undefined) return { problems: [] };
  const { roster, problems } = readRoster(studentsFile);
  return roster ? { classroom: { roster, compute }, problems } : { problems };
}
