import { secretServicePrincipal } from "../sign-in";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The deploying identity becomes the lab's user: a service principal makes a lab nobody can use. */
export function checkLabUser({ env }: PreflightContext): CheckResult[] {
  if (!secretServicePrincipal(env)) return [];
  return [
    {
      check: CHECK.labUser,
      status: "warn",
      detail: `the deploying identity is the service principal ${env.ARM_CLIENT_ID}: the cluster is dedicated to it and the notebooks land in its home, so no person can use them.`,
      fix: "deploy with `az login` as the person who will run the lab (unset ARM_CLIENT_ID / ARM_CLIENT_SECRET).",
    },
  ];
}
