import { tokenClaim } from "../token";
import { CHECK, CheckResult, PreflightContext } from "./check";

const check = CHECK.rosterAndYou;

/** The token's claims that name who signed in: a person's sign-in names, a service principal's application id. */
const IDENTITY_CLAIMS = ["upn", "unique_name", "preferred_username", "email", "appid"] as const;

/**
 * The deployer must not be on the roster: the class would take over their own user, lower their
 * rights on a cluster and delete the user with the class. Terraform refuses it too (a precondition
 * on each student's user), but only once the workspace exists; this refuses it before anything.
 */
export function checkRosterAndYou({ settings, login }: PreflightContext): CheckResult[] {
  const students = settings?.classroom?.roster.students;
  if (!students || !login.token) return [];
  const token = login.token;
  const names = IDENTITY_CLAIMS.map((claim) => tokenClaim(token, claim)?.toLowerCase()).filter(
    (name): name is string => name !== undefined,
  );
  const clash = students.find((s) => names.includes(s.email.toLowerCase()));
  if (!clash) return [{ check, status: "pass", detail: "the roster does not list the deploying identity." }];
  return [
    {
      check,
      status: "fail",
      detail: `the roster lists ${clash.email}, the identity this deploy signs in as: the class would take over its user and delete it with the class.`,
      fix: `remove ${clash.email} from the roster (the instructor keeps their own lab), or deploy as another identity.`,
    },
  ];
}
