import { code, invalid, setting, valid } from "./declaration";
import { SettingWarning } from "./problems";

/** Where Terraform keeps the lab's state when it is not the local file: an Azure Storage blob. */
export interface RemoteState {
  readonly storageAccount: string;
  readonly container: string;
  /** The blob's name. */
  readonly key: string;
  /** Written into the backend when given (and used in the commands that create the account). */
  readonly resourceGroup?: string;
}

export const DEFAULT_STATE_CONTAINER = "tfstate";

/** The remote-state settings; `resolveRemoteState` combines them. Unset: local state. */
export const REMOTE_STATE_SETTINGS = {
  stateStorageAccount: setting({
    env: "LAB_STATE_STORAGE_ACCOUNT",
    scope: "lab",
    readByDestroy: true,
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined || /^[a-z0-9]{3,24}$/.test(raw)) return valid(raw);
      return invalid(
        "must be a storage account name: 3 to 24 lowercase letters and digits.",
        "copy the name from `az storage account list --query [].name -o tsv`, or unset it to keep the state in a local file.",
      );
    },
  }),

  stateContainer: setting({
    env: "LAB_STATE_CONTAINER",
    scope: "lab",
    readByDestroy: true,
    documentedDefault: code(DEFAULT_STATE_CONTAINER),
    parse(raw) {
      const container = raw ?? DEFAULT_STATE_CONTAINER;
      if (/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) return valid(container);
      return invalid(
        "must be a blob container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
        `set LAB_STATE_CONTAINER=${DEFAULT_STATE_CONTAINER} or another valid name.`,
      );
    },
  }),

  stateKey: setting({
    env: "LAB_STATE_KEY",
    scope: "lab",
    readByDestroy: true,
    documentedDefault: "`<LAB_NAME>.tfstate`",
    parse(raw) {
      const wrong = raw === undefined ? undefined : blobNameProblem(raw);
      if (wrong === undefined) return valid(raw);
      return invalid(
        `must be a blob name: ${wrong}.`,
        "unset it to use <LAB_NAME>.tfstate, which keeps every lab's state apart, or name it like labs/<LAB_NAME>.tfstate.",
      );
    },
  }),

  stateResourceGroup: setting({
    env: "LAB_STATE_RESOURCE_GROUP",
    scope: "lab",
    readByDestroy: true,
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined || /^[-\w.()]{1,89}[-\w()]$/.test(raw)) return valid(raw);
      return invalid(
        "must be a resource group name: 1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period.",
        "copy it from `az group list --query [].name -o tsv`.",
      );
    },
  }),
};

/** The longest blob name and the most "/"-separated segments Azure Storage takes. */
export const MAX_BLOB_NAME = 1024;
export const MAX_BLOB_SEGMENTS = 254;

/**
 * Why Azure Storage would refuse the blob name, or address another blob than the one written, or
 * undefined when it is a name to use ("Naming and Referencing Containers, Blobs, and Metadata",
 * learn.microsoft.com): 1 to 1,024 characters, no control characters, at most 254 path segments,
 * not ending in a dot or a slash; a backslash is not a separator there. A "." or ".." segment is
 * resolved away in the blob's URL (`../x` is `x`) and an empty one is a folder no tool shows.
 */
export function blobNameProblem(name: string): string | undefined {
  if (name.length > MAX_BLOB_NAME) return `at most ${MAX_BLOB_NAME} characters; it has ${name.length}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return "no control characters";
  if (name.includes("\\")) return 'no backslash ("/" separates folders)';
  if (/[./]$/.test(name)) return "not ending in a dot or a slash";
  const segments = name.split("/");
  if (segments.length > MAX_BLOB_SEGMENTS)
    return `at most ${MAX_BLOB_SEGMENTS} "/"-separated parts; it has ${segments.length}`;
  if (segments.some((s) => s === "" || s === "." || s === "..")) {
    return 'parts separated by single slashes, none of them "." or ".." (no leading slash)';
  }
  return undefined;
}

/**
 * Whether the command runs in CI: GitHub Actions sets `GITHUB_ACTIONS=true` and `CI=true`; other
 * services set `CI` to `true` or `1`.
 */
export function runsInCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return env.GITHUB_ACTIONS === "true" || (ci !== undefined && ci !== "" && ci !== "false" && ci !== "0");
}

/**
 * In CI a lab without remote state is refused: its state would be a file on the runner, gone with it
 * while the lab bills, and the next run would plan to create everything again. A repository
 * variable that is not defined reaches the workflow as an empty string, which counts as unset.
 */
export function remoteStateRequiredInCi(
  env: Readonly<Record<string, string | undefined>>,
  /** Whether LAB_STATE_STORAGE_ACCOUNT was given at all (a wrong name is its own problem). */
  accountGiven: boolean,
): { readonly setting: string; readonly problem: string; readonly fix: string } | undefined {
  if (accountGiven || !runsInCi(env)) return undefined;
  return {
    setting: REMOTE_STATE_SETTINGS.stateStorageAccount.env,
    problem:
      "must name the storage account of the lab's state in CI (CI or GITHUB_ACTIONS is set): without it the state would stay in a file on the runner, lost with it while the lab bills.",
    fix: "define the repository variables LAB_STATE_STORAGE_ACCOUNT and LAB_STATE_RESOURCE_GROUP (Settings > Secrets and variables > Actions > Variables); for a synth that deploys nothing, run it without CI set (env -u CI -u GITHUB_ACTIONS npx cdktf synth).",
  };
}

/** The backend the settings describe, or none (local state), with warnings for settings without an account. */
export function resolveRemoteState(
  values: {
    readonly stateStorageAccount?: string;
    readonly stateContainer?: string;
    readonly stateKey?: string;
    readonly stateResourceGroup?: string;
  },
  labName: string,
  given: readonly string[],
): { remoteState?: RemoteState; warnings: SettingWarning[] } {
  const { stateStorageAccount, stateContainer, stateKey, stateResourceGroup } = values;
  if (stateStorageAccount === undefined || stateContainer === undefined) {
    const ignored = given.filter((name) => name !== REMOTE_STATE_SETTINGS.stateStorageAccount.env);
    return {
      warnings: stateStorageAccount
        ? []
        : ignored.map((setting) => ({
            setting,
            message: "ignored: LAB_STATE_STORAGE_ACCOUNT is not set, so the state stays in a local file.",
          })),
    };
  }
  return {
    remoteState: {
      storageAccount: stateStorageAccount,
      container: stateContainer,
      key: stateKey ?? `${labName}.tfstate`,
      ...(stateResourceGroup ? { resourceGroup: stateResourceGroup } : {}),
    },
    warnings: [],
  };
}
