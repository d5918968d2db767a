import { CHECK, CheckResult, PreflightContext, unreadable } from "./check";

const check = CHECK.stateStorage;

/** The storage account and container for the state exist, and the login may write blobs there. */
export async function checkStateStorage({ settings, azure }: PreflightContext): Promise<CheckResult[]> {
  const remote = settings?.remoteState;
  if (!remote || !azure) return [];
  const where = `container ${remote.container} of the storage account ${remote.storageAccount}`;
  const group = remote.resourceGroup ?? "<resource group>";
  const createContainer = `az storage container create --name ${remote.container} --account-name ${remote.storageAccount} --auth-mode login`;
  const storage = azure.stateStorage();
  try {
    if (!(await storage.accountExists(remote.storageAccount))) {
      return [
        {
          check,
          status: "fail",
          detail: `the storage account ${remote.storageAccount} (LAB_STATE_STORAGE_ACCOUNT) is not in this subscription.`,
          fix: [
            `az storage account create --name ${remote.storageAccount} --resource-group ${group} --location ${settings.location} --sku Standard_LRS --min-tls-version TLS1_2 --allow-blob-public-access false --allow-shared-key-access false`,
            createContainer,
          ].join("\n"),
        },
      ];
    }
    const access = await storage.containerAccess(remote.storageAccount, remote.container);
    if (access === "writable") {
      return [
        {
          check,
          status: "pass",
          detail: `${where} exists, and this login can write blobs there (Entra ID; a probe blob was written and deleted).`,
        },
      ];
    }
    if (access === "missing")
      return [{ check, status: "fail", detail: `${where} does not exist.`, fix: createContainer }];
    return [
      {
        check,
        status: "fail",
        detail: `this login may not write blobs in ${where} (${access.message}): Terraform could not keep the state there.`,
        fix: `give it the role "Storage Blob Data Contributor" on the account: az role assignment create --role "Storage Blob Data Contributor" --assignee $(az ad signed-in-user show --query id -o tsv) --scope $(az storage account show --name ${remote.storageAccount} --query id -o tsv)`,
      },
    ];
  } catch (e) {
    return [unreadable(check, e, "the storage account")];
  }
}
