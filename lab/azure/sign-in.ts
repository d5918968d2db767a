import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { AzureCliCredential, ClientSecretCredential } from "@azure/identity";
import type { Env, Login } from "./checks/check";
import { answers, authorityHost, unreachableCode } from "./entra";

const ARM_SCOPE = "https://management.azure.com/.default";

/** A client secret in the ARM_* variables, which preflight (unlike Terraform) can sign in with itself. */
export function secretServicePrincipal(env: Env): boolean {
  return Boolean(env.ARM_CLIENT_ID && env.ARM_CLIENT_SECRET && env.ARM_TENANT_ID);
}

/** The same identities the Terraform providers use: ARM_* service principal, else the Azure CLI. */
export function defaultCredential(env: Env): TokenCredential {
  if (secretServicePrincipal(env))
    return new ClientSecretCredential(env.ARM_TENANT_ID!, env.ARM_CLIENT_ID!, env.ARM_CLIENT_SECRET!);
  return new AzureCliCredential();
}

/** How `signIn` finds out whether a failed sign-in reached Entra ID. */
export interface SignInOptions {
  /** @default - AZURE_AUTHORITY_HOST, else the public cloud's */
  readonly authorityHost?: string;
  /** Extra CA certificate (PEM) for the sign-in host. @default - the system's CAs */
  readonly ca?: string;
  /**
   * The sign-in runs the Azure CLI, so without it on PATH nothing was sent anywhere.
   * @default false
   */
  readonly usesCli?: boolean;
}

/**
 * Signs in for Resource Manager. A failure is blamed on the network when the error's code says so,
 * or when the sign-in host does not answer either (and the sign-in did try to reach it).
 */
export async function signIn(credential: TokenCredential, env: Env, options: SignInOptions = {}): Promise<Login> {
  const how = secretServicePrincipal(env) ? "service principal from ARM_* variables" : "Azure CLI session";
  try {
    const access = await credential.getToken(ARM_SCOPE);
    if (!access) throw new Error("the credential returned no access token.");
    return { how, token: access.token };
  } catch (error) {
    if (unreachableCode(error) !== undefined) return { how, error, unreachable: true };
    const sentNothing = options.usesCli === true && !onPath("az", env);
    const unreachable = !sentNothing && !(await answers(options.authorityHost ?? authorityHost(env), options.ca));
    return { how, error, unreachable };
  }
}

/** Whether a program is on PATH (with Windows' PATHEXT), found without running it. */
export function onPath(program: string, env: Env): boolean {
  const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  return (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => extensions.some((ext) => existsSync(join(dir, `${program}${ext}`))));
}
