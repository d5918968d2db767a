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
    documentedDefault: "`<LAB_NAME>.tfstate`",
    parse(raw) {
      if (raw === undefined || (raw.length <= 1024 && !raw.startsWith("/") && !raw.endsWith("/"))) return valid(raw);
      return invalid(
        "must be a blob name: at most 1024 characters, not starting or ending with a slash.",
        "unset it to use <LAB_NAME>.tfstate, which keeps every lab's state apart.",
      );
    },
  }),

  stateResourceGroup: setting({
    env: "LAB_STATE_RESOURCE_GROUP",
    scope: "lab",
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
