import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Construct } from "constructs";
import { Rule, validateAllProps } from "./validate-props";

/** A resource group as the constructs that go into one need it: any group, created here or elsewhere. */
export interface IResourceGroup {
  /** The group's name, ideally a reference, so whatever uses it is created after the group. */
  readonly name: string;
  /** Azure region, ARM name (`eastus`). */
  readonly location: string;
}

export interface LabResourceGroupProps {
  /**
   * Name of the resource group, unique in the subscription: 1 to 90 letters, digits, underscores,
   * hyphens, periods and parentheses, not ending in a period.
   */
  readonly name: string;
  /** Azure region, ARM name (`eastus`). Everything in the group is created there. */
  readonly location: string;
  /**
   * Tags for the group.
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Azure's naming rules for resource groups (Microsoft Learn, "Naming rules and restrictions for Azure resources"). */
const GROUP_NAME = /^[\p{L}\p{N}_().-]{1,90}$/u;

const LAB_RESOURCE_GROUP_RULES: readonly Rule<LabResourceGroupProps>[] = [
  {
    prop: "name",
    condition: ({ name }) => !GROUP_NAME.test(name) || name.endsWith("."),
    message: ({ name }) =>
      `name must be 1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period, got "${name}"`,
  },
];

/** The resource group that holds the whole lab, so deleting it removes everything. */
export class LabResourceGroup extends Construct implements IResourceGroup {
  /** The group's name, as a reference, so whatever uses it is created after the group. */
  public readonly name: string;
  public readonly location: string;
  /** Escape hatch: the underlying azurerm resource. */
  public readonly resource: ResourceGroup;

  constructor(scope: Construct, id: string, props: LabResourceGroupProps) {
    super(scope, id);
    validateAllProps(this, "LabResourceGroup", props, LAB_RESOURCE_GROUP_RULES);
    this.resource = new ResourceGroup(this, "group", {
      name: props.name,
      location: props.location,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.name = this.resource.name;
    this.location = props.location;
  }
}
