import { isAppToken, tokenClaim } from "../token";
import { CHECK, CheckResult, Env, PreflightContext } from "./check";

/**
 * The ARM_* variables with which the Databricks provider (databricks-sdk-go's default chain:
 * github-oidc-azure, azure-msi, azure-client-secret, before azure-cli) signs in as an application.
 * Under OIDC there is no secret: a GitHub job has ACTIONS_ID_TOKEN_REQUEST_URL and ARM_USE_OIDC.
 */
const APP_SIGN_IN = [
  "ARM_CLIENT_SECRET",
  "ARM_CLIENT_CERTIFICATE_PATH",
  "ARM_OIDC_TOKEN",
  "ARM_OIDC_TOKEN_FILE_PATH",
  "ACTIONS_ID_TOKEN_REQUEST_URL",
] as const;

/** Which application Terraform will deploy as, by its variables, else by the Azure CLI login's token. */
export function deployingApplication(env: Env, token: string | undefined): string | undefined {
  const byVariables =
    env.ARM_USE_MSI === "true" ||
    (Boolean(env.ARM_CLIENT_ID) && (env.ARM_USE_OIDC === "true" || APP_SIGN_IN.some((name) => Boolean(env[name]))));
  if (byVariables) return env.ARM_CLIENT_ID || "(managed identity)";
  // No variables: the providers use the Azure CLI, which preflight signed in with too.
  if (token && isAppToken(token)) return tokenClaim(token, "appid") ?? "(unknown application)";
  return undefined;
}

/** The deploying identity becomes the lab's user: a service principal makes a lab nobody can use. */
export function checkLabUser({ env, login }: PreflightContext): CheckResult[] {
  const application = deployingApplication(env, login.token);
  if (!application) return [];
  return [
    {
      check: CHECK.labUser,
      status: "warn",
      detail: `the deploying identity is the service principal ${application}: the cluster is dedicated to it and the notebooks land in its home, so no person can use them.`,
      fix: "deploy with `az login` as the person who will run the lab (unset ARM_CLIENT_ID and the ARM_* sign-in variables).",
    },
  ];
}
