import { IpAccessList } from "@cdktf/provider-databricks/lib/ip-access-list";
import { WorkspaceConf } from "@cdktf/provider-databricks/lib/workspace-conf";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { rangeProblem } from "../lab/catalog/ip-ranges";
import { DEFAULT_MAX_TOKEN_LIFETIME_DAYS, Range, TOKEN_LIFETIME_DAYS_RANGE, inRange } from "../lab/catalog/limits";
import { ValidationError } from "./validation-error";

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

    const problems: string[] = [];
    const ok = (value: number, range: Range) => Token.isUnresolved(value) || inRange(value, range);
    if (!ok(maxTokenLifetimeDays, TOKEN_LIFETIME_DAYS_RANGE)) {
      problems.push(
        `maxTokenLifetimeDays must be a whole number from ${TOKEN_LIFETIME_DAYS_RANGE.min} to ${TOKEN_LIFETIME_DAYS_RANGE.max}, got ${maxTokenLifetimeDays}`,
      );
    }
    if (ranges !== undefined && ranges.length === 0) {
      problems.push(
        "allowedIpRanges must list at least one range (an empty allow-list refuses everyone, Terraform included)",
      );
    }
    for (const range of ranges ?? []) {
      const problem = Token.isUnresolved(range) ? undefined : rangeProblem(range);
      if (problem) problems.push(`allowedIpRanges: ${problem}`);
    }
    ValidationError.throwIfAny(this, "WorkspaceAccess", problems);

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
