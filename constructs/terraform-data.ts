import { TerraformResource } from "cdktf";
import { Construct } from "constructs";

export interface TerraformDataProps {
  /** What the resource stores in the state; a change of it replaces what `replace_triggered_by` names it. */
  readonly input: Readonly<Record<string, string>>;
}

/**
 * Terraform's built-in `terraform_data` resource, written as cdktf's `DataResource` writes it, but
 * without the check that `DataResource` adds to each instance: that check runs `terraform version`
 * at every synth, once per instance (42 runs, about 1.4 s, for a class of 40), and fails the synth
 * where Terraform is not installed, although synth never needs it. The stack's `required_version`
 * (>= 1.4, which `terraform_data` needs) already makes Terraform refuse an older version.
 */
export class TerraformData extends TerraformResource {
  private readonly inputValue: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: TerraformDataProps) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
    });
    this.inputValue = props.input;
  }

  /** The resource's id, known once it exists. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: { ...this.inputValue } };
  }
}
