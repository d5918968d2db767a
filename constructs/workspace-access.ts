import { IpAccessList } from "@cdktf/provider-databricks/lib/ip-access-list";
import { WorkspaceConf } from "@cdktf/provider-databricks/lib/workspace-conf";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { rangeProblem } from "../lab/catalog/ip-ranges";
import { DEFAULT_MAX_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIME_DAYS_RANGE } from "../lab/catalog/limits";
import { Rule, validateAllProps, wholeNumberIn } from "./validate-props";

export interface WorkspaceAccessProps {
  /**
   * Public IPv4 addresses or CIDR ranges allowed to reach the workspace's UI and REST API; every
   * other address is refused. Must include the address Terraform itself connects from, or the next
   * apply (and the destroy) is locked out.
   * @default - no IP access list: every address may connect
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * The workspace's own outbound addresses, allowed whenever there is an allow-list: with secure
   * cluster connectivity the clusters reach the control plane from these (the managed NAT gateway's
   * public IP), and a list without them keeps every classic cluster from launching.
   * @default - none
   */
  readonly computeEgressAddresses?: readonly string[];
  /**
   * Longest lifetime of a new personal access token, in days (1 to 730).
   * @default 7
   */
  readonly maxTokenLifetimeDays?: number;
  /**
   * Display name of the access list in the workspace's settings.
   * @default "lab-allowed-ranges"
   */
  readonly label?: string;
}

/** What the workspace settings and the IP access list API would refuse. */
const WORKSPACE_ACCESS_RULES: readonly Rule<WorkspaceAccessProps>[] = [
  wholeNumberIn("maxTokenLifetimeDays", TOKEN_LIFETIME_DAYS_RANGE),
  {
    prop: "allowedIpRanges",
    condition: ({ allowedIpRanges }) => allowedIpRanges !== undefined && allowedIpRanges.length === 0,
    message: () =>
      "allowedIpRanges must list at least one range (an empty allow-list refuses everyone, Terraform included)",
  },
  { items: "allowedIpRanges", problem: (range) => prefixed("allowedIpRanges", rangeProblem(range)) },
];

function prefixed(prop: string, problem: string | undefined): string | undefined {
  return problem && `${prop}: ${problem}`;
}

/**
 * Who may reach a workspace (an IP allow-list) and how long the tokens made in it live, through
 * the workspace's own settings. Needs a workspace-level databricks provider.
 */
export class WorkspaceAccess extends Construct {
  /** Escape hatch: the workspace settings. */
  public readonly settings: WorkspaceConf;
  /** Escape hatch: the allow-list, when ranges were given. */
  public readonly allowList?: IpAccessList;

  constructor(scope: Construct, id: string, props: WorkspaceAccessProps) {
    super(scope, id);
    const ranges = props.allowedIpRanges;
    const maxTokenLifetimeDays = props.maxTokenLifetimeDays ?? DEFAULT_MAX_TOKEN_LIFETIME_DAYS;
    const label = props.label ?? "lab-allowed-ranges";

    validateAllProps(this, "WorkspaceAccess", { ...props, maxTokenLifetimeDays }, WORKSPACE_ACCESS_RULES);

    this.settings = new WorkspaceConf(this, "settings", {
      // Workspace settings are strings, whatever their meaning.
      customConfig: {
        maxTokenLifetimeDays: Token.isUnresolved(maxTokenLifetimeDays)
          ? Token.asString(maxTokenLifetimeDays)
          : String(maxTokenLifetimeDays),
        ...(ranges ? { enableIpAccessLists: "true" } : {}),
      },
    });
    if (ranges) {
      this.allowList = new IpAccessList(this, "allow", {
        label,
        listType: "ALLOW",
        ipAddresses: [...ranges, ...(props.computeEgressAddresses ?? [])],
        // A list takes effect only once the feature is on (provider docs' own example).
        dependsOn: [this.settings],
      });
    }
  }
}
