// The custom cloud the azurerm provider is pointed at (`metadata_host`) and its token endpoint.
// Shapes: go-azure-sdk sdk/internal/metadata/client.go (the document), sdk/environments/
// from_endpoint.go FromEndpoint (which fields must be present), checked against the provider.
import { Context } from "../context";
import { Route, armError, ok, route } from "../http";

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Client id the test credentials use; its token's object id is the deployer's. */
export const TEST_CLIENT_ID = "00000000-0000-4000-8000-00000000c11e";
export const TEST_OBJECT_ID = "00000000-0000-4000-8000-0000000000d0";

/** Regions the location check accepts (the lab's catalog of regions, and more). */
const LOCATIONS = [
  "eastus",
  "eastus2",
  "westus",
  "westus2",
  "westus3",
  "centralus",
  "northcentralus",
  "southcentralus",
  "canadacentral",
  "brazilsouth",
  "northeurope",
  "westeurope",
  "uksouth",
  "francecentral",
  "germanywestcentral",
  "swedencentral",
  "switzerlandnorth",
  "norwayeast",
  "japaneast",
  "japanwest",
  "koreacentral",
  "southeastasia",
  "eastasia",
  "australiaeast",
  "centralindia",
  "uaenorth",
  "southafricanorth",
];

export function identityRoutes(ctx: Context): Route[] {
  const metadata = () => {
    const origin = ctx.origin();
    return {
      // "AzureStackCloud", or an authentication.tenant other than "common", makes the SDK treat
      // the cloud as Azure Stack, which the provider refuses.
      name: "DP090Emulator",
      portal: origin,
      resourceManager: origin, // no trailing slash, or every path gets `//`
      microsoftGraphResourceId: `${origin}/graph/`,
      graph: `${origin}/graph/`,
      graphAudience: `${origin}/graph/`,
      authentication: {
        loginEndpoint: origin,
        audiences: [`${origin}/`],
        tenant: "common",
        identityProvider: "AAD",
      },
      suffixes: { storage: "core.emulator.test", keyVaultDns: "vault.emulator.test" },
    };
  };
  return [
    route("GET", /^\/metadata\/endpoints$/, "arm metadata", () => ok(metadata())),
    // The provider also reads the legacy location list, always with a double slash.
    route("GET", /^\/\/metadata\/endpoints$/, "arm metadata (locations)", () =>
      ok({
        cloudEndpoint: {
          DP090Emulator: {
            endpoint: ctx.origin().replace(/^https:\/\//, ""),
            locations: [...new Set([...LOCATIONS, ...Object.keys(ctx.state.regions)])],
          },
        },
      }),
    ),
    // Client credentials; the token is a JWT whose payload the SDK reads (oid, tid, appid;
    // without `oid` the provider asks Microsoft Graph for the service principal). Never verified.
    route("POST", /^\/([^/]+)\/oauth2\/v2\.0\/token$/, "token", (call) => {
      if (!call.body?.client_id || !call.body?.client_secret) {
        return armError(400, "invalid_request", "AADSTS900144: client_id and client_secret are required.");
      }
      const claims = {
        aud: String(call.body.scope ?? "").replace(/\/\.default$/, ""),
        iss: `${ctx.origin()}/${call.params[0]}/v2.0`,
        oid: TEST_OBJECT_ID,
        tid: ctx.state.tenantId,
        appid: call.body.client_id,
        exp: Math.floor(ctx.now() / 1000) + 3600,
      };
      return ok({
        token_type: "Bearer",
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.c2ln`,
      });
    }),
  ];
}
