import type { TokenCredential } from "@azure/core-auth";
import { firstLine } from "../errors";
import type { RemoteState } from "../settings";
import { LabState, StateError, labStateOf, readLabState } from "../state/local-state";
import { BlobConnection, BlobService } from "./blob-service";
import { defaultCredential } from "./sign-in";

/** How to reach a remote state; every field has the product's default. Tests point it at Azurite. */
export interface StateAccess extends Partial<BlobConnection> {
  /**
   * How to sign in to the storage account.
   * @default - defaultCredential(env): the ARM_* service principal, else the Azure CLI session
   */
  readonly credential?: TokenCredential;
  /** For the default credential. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A remote state that could not be read (no login, no network, no access): what was tried and why it failed. */
export class RemoteStateError extends StateError {
  constructor(
    public readonly remote: RemoteState,
    /** The blob's URL. */
    url: string,
    public readonly reason: string,
  ) {
    super(
      url,
      `The lab's state in Azure Storage (account ${remote.storageAccount}, container ${remote.container}, blob ${remote.key}) could not be read: ${reason}.`,
      `sign in as the identity that deploys (\`az login\`, or the ARM_* variables of a service principal), with the Storage Blob Data Reader role (or more) on the account, and check the network to ${remote.storageAccount}.blob.core.windows.net.`,
    );
  }
}

/**
 * The state of the lab the settings name, wherever Terraform keeps it: the Azure Storage blob of
 * the LAB_STATE_* settings (read only, one GET, signed in with Entra ID as Terraform's backend is),
 * else the local file. Undefined when it has no resources (never deployed, or destroyed).
 */
export async function readDeployedState(
  settings: { readonly name: string; readonly remoteState?: RemoteState },
  cwd: string,
  access: StateAccess = {},
): Promise<LabState | undefined> {
  const remote = settings.remoteState;
  if (!remote) return readLabState(cwd, settings.name);
  const blobs = new BlobService({
    ...access,
    credential: access.credential ?? defaultCredential(access.env ?? process.env),
  });
  const url = blobs.url(remote.storageAccount, remote.container, remote.key);
  let answer;
  try {
    answer = await blobs.send("GET", url);
  } catch (e) {
    throw new RemoteStateError(remote, url, firstLine((e as Error).message));
  }
  // No blob (or no container): Terraform has written no state there, so nothing is deployed.
  if (answer.status === 404) return undefined;
  if (answer.status >= 300) throw new RemoteStateError(remote, url, `${answer.message} (HTTP ${answer.status})`);
  return labStateOf(answer.body ?? "", settings.name, url);
}
